import { InputError } from '../errors.js';

/** Where the shared cache lives: `s3://<bucket>/<prefix>` (`DSPEC_CACHE_URL`). */
export interface S3CacheLocation {
  bucket: string;
  /** Without leading or trailing slashes; '' puts the cache at the bucket's root. */
  prefix: string;
}

/** Bucket names as S3 accepts them (3-63 of a-z, 0-9, '.', '-', starting and ending alphanumeric). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3CacheUrl(url: string): S3CacheLocation {
  const suggestion = 'Set DSPEC_CACHE_URL to s3://<bucket>/<prefix>, e.g. s3://team-cache/dspec.';
  if (!url.startsWith('s3://')) throw new InputError(`DSPEC_CACHE_URL "${url}" is not an s3:// URL`, { suggestion });
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = (slash === -1 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
  if (!BUCKET_NAME.test(bucket)) throw new InputError(`DSPEC_CACHE_URL names the bucket "${bucket}", which is not a valid S3 bucket name (3-63 of a-z, 0-9, '.', '-')`, { suggestion });
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f?#]/.test(prefix)) throw new InputError(`DSPEC_CACHE_URL's prefix "${prefix}" holds a control character, '?' or '#'`, { suggestion });
  return { bucket, prefix };
}

/** `s3://bucket/prefix/<path>`, for messages and logs. */
export function s3UrlOf(location: S3CacheLocation, objectKey?: string): string {
  return `s3://${location.bucket}/${objectKey ?? location.prefix}`;
}

/** The S3 client's settings, from the variables the AWS SDK documents (and one it lacks: path style). */
export interface S3ClientSettings {
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * Reads the AWS SDK's own variables from the runtime's environment: `AWS_ENDPOINT_URL_S3` or
 * `AWS_ENDPOINT_URL`, `AWS_REGION` (or `AWS_DEFAULT_REGION`), `AWS_ACCESS_KEY_ID` +
 * `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`). Keys absent here are left to the SDK's
 * default chain (shared config files, web identity, instance roles). The SDK has no variable for
 * path-style addressing (`endpoint/bucket/key`), which self-hosted stores answer under any host
 * name (virtual-hosted `bucket.minio:9000` needs DNS for each bucket): with an endpoint set it is
 * the default, and `AWS_S3_FORCE_PATH_STYLE=true|false` decides either way.
 */
export function s3ClientSettingsOf(env: NodeJS.ProcessEnv): S3ClientSettings {
  const settings: S3ClientSettings = {};
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  if (endpoint) {
    const name = env.AWS_ENDPOINT_URL_S3 ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL';
    if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) throw new InputError(`${name} "${endpoint}" is not an http(s) URL`);
    settings.endpoint = endpoint;
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  // An S3-compatible store rarely cares about the region, but the SDK refuses to sign without one.
  if (region) settings.region = region;
  else if (endpoint) settings.region = 'us-east-1';
  const pathStyle = env.AWS_S3_FORCE_PATH_STYLE;
  if (pathStyle !== undefined && pathStyle !== '') {
    if (/^(1|true|yes)$/i.test(pathStyle)) settings.forcePathStyle = true;
    else if (/^(0|false|no)$/i.test(pathStyle)) settings.forcePathStyle = false;
    else throw new InputError(`AWS_S3_FORCE_PATH_STYLE must be true or false, got "${pathStyle}"`);
  } else if (endpoint) {
    settings.forcePathStyle = true;
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    settings.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return settings;
}

/** An endpoint as it may be shown: any user:password part is dropped. */
export function displayEndpoint(endpoint: string | undefined): string {
  if (!endpoint) return 'AWS S3';
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.origin;
  } catch {
    return '(unparseable endpoint)';
  }
}
