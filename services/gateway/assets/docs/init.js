// Swagger UI over the public document this gateway serves (a file of its own, not an inline
// script, so that a strict Content-Security-Policy can forbid inline scripts).
/* global SwaggerUIBundle */
SwaggerUIBundle({
  url: '/v1/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  tryItOutEnabled: false,
});
