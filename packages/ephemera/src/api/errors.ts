// Errors the API answers with: a status, a stable code and a message that
// names what was wrong (and the parameter, when one is to blame).
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter: string | null = null,
    readonly details: Json = null,
  ) {
    super(message);
  }

  toJSON(): { error: Record<string, Json> } {
    const error: Record<string, Json> = { code: this.code, message: this.message };
    if (this.parameter !== null) error.parameter = this.parameter;
    if (this.details !== null) error.details = this.details;
    return { error };
  }
}

export function badParameter(parameter: string, message: string): ApiError {
  return new ApiError(400, 'bad_parameter', `${parameter}: ${message}`, parameter);
}

export function notFound(what: string, id: number): ApiError {
  return new ApiError(404, 'not_found', `no ${what} with id ${id}`);
}
