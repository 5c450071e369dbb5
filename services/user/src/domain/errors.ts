/** Outcomes the HTTP layer turns into problem+json; the domain stays free of HTTP. */
export class EmailTakenError extends Error {
  constructor() {
    super('an account with this e-mail already exists');
    this.name = 'EmailTakenError';
  }
}

export class InvalidCredentialsError extends Error {
  constructor() {
    super('e-mail or password is incorrect');
    this.name = 'InvalidCredentialsError';
  }
}

export class CurrentPasswordMismatchError extends Error {
  constructor() {
    super('currentPassword is incorrect');
    this.name = 'CurrentPasswordMismatchError';
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'you may only access your own profile') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export class UserNotFoundError extends Error {
  constructor() {
    super('no such user');
    this.name = 'UserNotFoundError';
  }
}
