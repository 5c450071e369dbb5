import { z } from 'zod';
import {
  commonResponses,
  jsonResponse,
  jsonBody,
  problem,
  security,
  serviceDocument,
  type OpenApiDocument,
} from '@tourkit/kit/openapi';
import {
  loginSchema,
  registerUserSchema,
  updateProfileSchema,
  userIdParamsSchema,
} from '../domain/user.js';

// User's contract: the request schemas are the ones the routes parse with (domain/user.ts); the
// response schemas describe toPublicUser, toInternalUser and the token logIn issues.
// hack/openapi/generate.ts writes services/user/openapi.yaml from `openapiDocument`.

const country = z
  .string()
  .regex(/^[A-Z]{2}$/)
  .meta({ description: 'ISO 3166-1 alpha-2 (upper case); booking derives VAT from it' });

const userSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    country,
    roles: z.array(z.string()),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    id: 'User',
    examples: [
      {
        id: '9a7d1d8e-1f0b-4c55-a1f2-5e3b8c7d6a40',
        email: 'ada@example.com',
        name: 'Ada',
        country: 'FR',
        roles: ['customer'],
        createdAt: '2026-12-07T10:00:00.000Z',
        updatedAt: '2026-12-07T10:00:00.000Z',
      },
    ],
  });

const internalUserSchema = z
  .object({ id: z.uuid(), email: z.email(), name: z.string(), country })
  .meta({ id: 'InternalUser' });

const accessTokenSchema = z
  .object({
    accessToken: z
      .string()
      .meta({ description: 'JWT; claims sub (user id), email, roles, country, iss, aud, exp' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds' }),
  })
  .meta({ id: 'AccessToken' });

const { validationFailed, unauthorized, internalUnauthorized } = commonResponses;
const notYours = problem('Not your profile (forbidden)');
const noSuchUser = problem('No such user (not-found)');
const profileUpdate = updateProfileSchema.meta({
  id: 'UpdateProfile',
  description: 'At least one of name, country, password. A new password needs currentPassword.',
});

export const openapiDocument = (): OpenApiDocument =>
  serviceDocument({
    service: 'user',
    port: 8082,
    database: { unusedBy: ['getJwks'] },
    description:
      'Accounts, login and profiles. Issues the access tokens (JWT, EdDSA with an Ed25519 key or ES256 with a P-256 key) that every other Tourkit service verifies; the public key is served as a JWK set at `/.well-known/jwks.json`. Errors are `application/problem+json` (RFC 9457).',
    paths: {
      '/v1/users': {
        post: {
          operationId: 'registerUser',
          summary: 'Register a user',
          security: security.none,
          requestBody: jsonBody(registerUserSchema.meta({ id: 'RegisterUser' })),
          responses: {
            '201': {
              ...jsonResponse('Created', userSchema),
              headers: z.object({ location: z.string().meta({ description: '/v1/users/{id}' }) }),
            },
            '400': validationFailed,
            '409': problem('An account with this e-mail already exists (case-insensitive)'),
          },
        },
      },
      '/v1/auth/login': {
        post: {
          operationId: 'login',
          summary: 'Exchange e-mail and password for an access token',
          security: security.none,
          requestBody: jsonBody(loginSchema.meta({ id: 'Login' })),
          responses: {
            '200': jsonResponse('Token issued (cache-control: no-store)', accessTokenSchema),
            '400': validationFailed,
            '401': problem('Unknown e-mail or wrong password (the same answer for both)'),
          },
        },
      },
      '/v1/users/me': {
        get: {
          operationId: 'getMyProfile',
          summary: "The caller's profile",
          security: security.bearer,
          responses: {
            '200': jsonResponse('Profile', userSchema),
            '401': unauthorized,
            '404': noSuchUser,
          },
        },
        patch: {
          operationId: 'updateMyProfile',
          summary: "Change the caller's name, country or password",
          security: security.bearer,
          requestBody: jsonBody(profileUpdate),
          responses: {
            '200': jsonResponse('Updated profile', userSchema),
            '400': validationFailed,
            '401': unauthorized,
            '404': noSuchUser,
          },
        },
      },
      '/v1/users/{id}': {
        get: {
          operationId: 'getProfile',
          summary: 'A profile; only its owner (or an admin) may read it',
          security: security.bearer,
          requestParams: { path: userIdParamsSchema },
          responses: {
            '200': jsonResponse('Profile', userSchema),
            '400': validationFailed,
            '401': unauthorized,
            '403': notYours,
            '404': noSuchUser,
          },
        },
        patch: {
          operationId: 'updateProfile',
          summary: 'Change a profile; only its owner may',
          security: security.bearer,
          requestParams: { path: userIdParamsSchema },
          requestBody: jsonBody(profileUpdate),
          responses: {
            '200': jsonResponse('Updated profile', userSchema),
            '400': validationFailed,
            '401': unauthorized,
            '403': notYours,
            '404': noSuchUser,
          },
        },
      },
      '/internal/users/{id}': {
        get: {
          operationId: 'getUserForService',
          summary: 'Contact data for another service (notification enrichment, booking VAT)',
          security: security.internal,
          requestParams: { path: userIdParamsSchema },
          responses: {
            '200': jsonResponse('Contact data', internalUserSchema),
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': noSuchUser,
          },
        },
      },
      '/.well-known/jwks.json': {
        get: {
          operationId: 'getJwks',
          summary: 'The public key that verifies access tokens, as a JWK set',
          security: security.none,
          responses: {
            '200': jsonResponse(
              'JWK set',
              z.object({
                keys: z.array(
                  z.looseObject({
                    kty: z.string().meta({ examples: ['OKP', 'EC'] }),
                    alg: z.string(),
                    use: z.literal('sig'),
                    kid: z.string(),
                  }),
                ),
              }),
            ),
            '404': problem('No such route (never: the key set is always served)'),
          },
        },
      },
    },
  });
