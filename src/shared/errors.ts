/**
 * Errors the domain raises on purpose. Transports map them to their own shape
 * (problem+json over HTTP, a message and exit status in the CLI); anything else is a bug.
 */
export type FieldProblem = { field: string; message: string };

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldProblem[];
  constructor(status: number, code: string, message: string, errors: FieldProblem[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

export class InvalidInput extends AppError {
  constructor(message: string, errors: FieldProblem[] = []) {
    super(400, 'invalid-input', message, errors);
  }
  static field(field: string, message: string): InvalidInput {
    return new InvalidInput(`${field}: ${message}`, [{ field, message }]);
  }
}

export class NotFound extends AppError {
  constructor(what: string) {
    super(404, 'not-found', `${what} not found`);
  }
}

export class Conflict extends AppError {
  constructor(message: string, errors: FieldProblem[] = []) {
    super(409, 'conflict', message, errors);
  }
}

/** A change the domain's rules do not allow from the current state (resolved → identified). */
export class NotAllowed extends AppError {
  constructor(message: string, errors: FieldProblem[] = []) {
    super(422, 'not-allowed', message, errors);
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'authentication required') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'not permitted') {
    super(403, 'forbidden', message);
  }
}
