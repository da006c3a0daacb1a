import { S3Client } from '@aws-sdk/client-s3';
import { DspecError, ErrorCode, InputError } from '../errors.js';
import { s3ClientSettingsOf } from './s3-cache-url.js';

/** S3 codes that mean the configuration is wrong, not the store unwell: the user must change a setting. */
const CONFIGURATION_CODES = new Set(['NoSuchBucket', 'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidBucketName', 'PermanentRedirect', 'AuthorizationHeaderMalformed']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH']);

export interface ConfiguredS3Client {
  client: S3Client;
  /** The configured endpoint (undefined: AWS itself); show it only through displayEndpoint, which drops credentials. */
  endpoint: string | undefined;
}

/**
 * The one way dspec builds an S3 client: settings from the runtime's environment (see
 * s3ClientSettingsOf), with timeouts so a dead endpoint fails a request in seconds, not at the
 * OS's TCP timeout. The cache, the job store and the export store each build theirs here.
 */
export function createS3Client(env: NodeJS.ProcessEnv): ConfiguredS3Client {
  const settings = s3ClientSettingsOf(env);
  const client = new S3Client({ ...settings, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } });
  return { client, endpoint: settings.endpoint };
}

/** `name` of an SDK error (its S3 code) or `code` of a network error. */
export function s3ErrorNameOf(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, name, Code } = error as { code?: unknown; name?: unknown; Code?: unknown };
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  if (typeof Code === 'string') return Code;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}

export function s3StatusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export interface S3FailureContext {
  /** Which store failed, as the message starts: "S3 cache", "S3 job store". */
  store: string;
  operation: string;
  bucket: string;
  /** The object (or prefix) the operation was about. */
  objectKey: string;
  /** As displayEndpoint shows it. */
  endpoint: string;
}

/**
 * The error a caller sees: operation, bucket/key, endpoint and the S3 (or network) code, never
 * the request or credentials. A wrong setting or an unreachable store is the user's to fix
 * (InputError with the variables to check); anything else is the store's.
 */
export function s3FailureOf(where: S3FailureContext, error: unknown): DspecError {
  const code = s3ErrorNameOf(error) ?? 'UnknownError';
  const status = s3StatusOf(error);
  const message = `${where.store}: ${where.operation} s3://${where.bucket}/${where.objectKey} at ${where.endpoint} failed: ${code}${status ? ` (HTTP ${status})` : ''}`;
  const context = { bucket: where.bucket, key: where.objectKey, endpoint: where.endpoint, s3Code: code, ...(status ? { httpStatus: status } : {}) };
  if (CONFIGURATION_CODES.has(code) || NETWORK_CODES.has(code)) {
    return new InputError(message, { context, suggestion: 'Check DSPEC_CACHE_URL (bucket and prefix), AWS_ENDPOINT_URL, AWS_REGION and the access key the store expects.' });
  }
  return new DspecError(ErrorCode.Internal, message, { context });
}
