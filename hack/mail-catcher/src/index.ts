// What tests use of the mail catcher: a real SMTP server that keeps what it receives.
export { startSmtpCapture, type SmtpCapture } from './smtp-capture.js';
export type { CapturedMail } from './captured-mail.js';
