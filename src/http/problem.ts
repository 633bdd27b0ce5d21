import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../shared/errors.ts';

/** One offending input: a dotted field name, its JSON pointer, where it was, and what is wrong. */
export type ProblemField = { field: string; pointer: string; in: string; message: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  request_id: string;
  errors?: ProblemField[];
};

const TITLES: Record<number, string> = {
  400: 'Invalid input',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Not allowed in the current state',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

export const PROBLEM_BASE = 'https://siaga.dev/problems/';

function dotted(path: (string | number)[]): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg),
    '',
  );
}

function pointerOf(field: string): string {
  return `/${field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/')}`;
}

function fromValidation(
  err: FastifyError & {
    validation: { instancePath: string; message?: string; params?: Record<string, unknown> }[];
    validationContext?: string;
  },
): ProblemField[] {
  const where = err.validationContext ?? 'body';
  const out: ProblemField[] = [];
  for (const v of err.validation) {
    const path = v.instancePath
      .split('/')
      .filter(Boolean)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const keys = v.params?.keys;
    if (Array.isArray(keys)) {
      // Unknown fields are named one by one: a typo must never be silently dropped.
      for (const k of keys) {
        const field = dotted([...path, String(k)]);
        out.push({ field, pointer: pointerOf(field), in: where, message: 'unknown field' });
      }
      continue;
    }
    const field = dotted(path) || '(body)';
    out.push({ field, pointer: pointerOf(dotted(path)), in: where, message: v.message ?? 'invalid' });
  }
  return out;
}

/** The problem document for an error; `req` gives the path and the request id it names. */
export function toProblem(err: unknown, req: Pick<FastifyRequest, 'url' | 'id'>): Problem {
  const base = { instance: req.url.split('?')[0]!, request_id: String(req.id) };
  if (err instanceof AppError) {
    return {
      type: PROBLEM_BASE + err.code,
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      detail: err.message,
      ...base,
      ...(err.errors.length > 0
        ? {
            errors: err.errors.map((e) => ({
              field: e.field,
              pointer: pointerOf(e.field),
              in: 'body',
              message: e.message,
            })),
          }
        : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = fromValidation(err as never);
    return {
      type: `${PROBLEM_BASE}invalid-input`,
      title: TITLES[400]!,
      status: 400,
      detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      ...base,
      errors,
    };
  }
  const fe = err as FastifyError;
  if (
    !isResponseSerializationError(err) &&
    typeof fe.statusCode === 'number' &&
    fe.statusCode >= 400 &&
    fe.statusCode < 500
  ) {
    let detail = fe.message;
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe instanceof SyntaxError)
      detail = `the body is not valid JSON: ${fe.message}`;
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') detail = 'the body is empty; send a JSON object';
    return {
      type: PROBLEM_BASE + (fe.code ?? 'bad-request').toLowerCase().replaceAll('_', '-'),
      title: TITLES[fe.statusCode] ?? 'Bad request',
      status: fe.statusCode,
      detail,
      ...base,
    };
  }
  return {
    type: `${PROBLEM_BASE}internal`,
    title: TITLES[500]!,
    status: 500,
    detail: `something went wrong on our side; quote request id ${base.request_id} when reporting it`,
    ...base,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}
