// Vite turns a CSS import into a <link> in the built page; TypeScript only needs to know it exists.
declare module '*.css';
