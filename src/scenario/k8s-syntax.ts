// Kubernetes name syntax (apimachinery validation), so bad names fail at load time, not at apply time.
// Each function returns an error message, or undefined when the text is valid.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Namespace and pod names: DNS-1123 labels. */
export function checkDnsLabel(text: string, what: string): string | undefined {
  if (text.length > 63 || !DNS1123_LABEL.test(text)) return `${what} "${text}" must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`;
  return undefined;
}

/** Policy names: DNS-1123 subdomains. */
export function checkDnsSubdomain(text: string, what: string): string | undefined {
  if (text.length > 253 || !DNS1123_SUBDOMAIN.test(text)) return `${what} "${text}" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")`;
  return undefined;
}

/** Label keys: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function checkLabelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `label key "${key}" has an invalid prefix (must be a DNS subdomain such as example.com)`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
    return `label key "${key}" is invalid (at most 63 characters: alphanumerics, "-", "_", "." starting and ending with an alphanumeric)`;
  }
  return undefined;
}

/** Label values: empty, or at most 63 characters of the qualified-name alphabet. */
export function checkLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !QUALIFIED_NAME_PART.test(value)) {
    return `label value "${value}" is invalid (at most 63 characters: alphanumerics, "-", "_", "." starting and ending with an alphanumeric)`;
  }
  return undefined;
}

/** Named ports: IANA service names (at most 15 characters, lowercase, a letter, no "--"). */
export function checkPortName(name: string): string | undefined {
  if (name.length === 0 || name.length > 15 || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) || name.includes('--') || !/[a-z]/.test(name)) {
    return `port name "${name}" must be an IANA service name (at most 15 lowercase letters, digits and "-", with a letter, no "--")`;
  }
  return undefined;
}
