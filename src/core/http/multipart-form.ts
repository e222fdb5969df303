import type { FastifyRequest } from 'fastify';
import { isAppError, validationFailed } from '../errors.js';

export interface UploadedFile {
  /** The form field the file came in. */
  field: string;
  name: string;
  bytes: Buffer;
}

export interface MultipartForm {
  files: UploadedFile[];
  /** Text fields by name (the last value wins). */
  fields: Record<string, string>;
}

/**
 * Reads a whole multipart/form-data body: the files sent in `fileFields` (others are drained and dropped) and every
 * text field. A missing or broken body is the client's mistake (400, naming the field to use); an oversized file keeps
 * the 413 the multipart plugin raises.
 */
export async function readMultipartForm(request: FastifyRequest, options: { fileFields: string[]; expected: string }): Promise<MultipartForm> {
  const field = options.fileFields[0];
  if (!request.isMultipart()) throw validationFailed(`Send ${options.expected} as multipart/form-data.`, [{ path: field, message: 'No multipart body.' }]);
  const form: MultipartForm = { files: [], fields: {} };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (options.fileFields.includes(part.fieldname))
          form.files.push({ field: part.fieldname, name: part.filename || `upload-${form.files.length + 1}`, bytes });
      } else {
        form.fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (isAppError(error) || (error as { statusCode?: number }).statusCode) throw error;
    throw validationFailed(`The upload is not a readable multipart/form-data body (${(error as Error).message}).`, [
      { path: field, message: (error as Error).message },
    ]);
  }
  return form;
}

/** A form field holding JSON (e.g. import options): undefined when absent or blank, 400 naming the field when broken. */
export function jsonFormField(form: MultipartForm, name: string): unknown {
  const text = form.fields[name];
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw validationFailed(`The field "${name}" is not valid JSON (${(error as Error).message}).`, [{ path: name, message: 'not JSON' }]);
  }
}
