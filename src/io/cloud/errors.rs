//! `object_store` errors as messages a SQL user can act on.
//!
//! `object_store` keeps its HTTP error type private, so the status and the service's error code
//! are read from the error text. Every text that reaches the user goes through [`redact`]:
//! request URLs can carry a SAS token in their query string.

use crate::error::Error;
use crate::io::location::Scheme;
use std::time::Duration;

/// Longest cause text we quote, so one error does not fill a screen with XML.
const CAUSE_LIMIT: usize = 300;

/// `root` names the container or bucket, for errors about it rather than an object.
pub fn map(scheme: Scheme, root: &str, uri: &str, e: &object_store::Error) -> Error {
    let text = chain(e);
    let status = status_of(&text);
    let code = tag(&text, "Code");
    let server = tag(&text, "Message")
        .map(|m| format!(" ({})", m.lines().next().unwrap_or("").trim()))
        .unwrap_or_default();
    let code_part = code.map(|c| format!(" {c}")).unwrap_or_default();
    let service = scheme.service();
    let missing_store = match code {
        Some("ContainerNotFound") => Some("container"),
        Some("NoSuchBucket") => Some("bucket"),
        _ => None,
    };
    if let Some(what) = missing_store {
        return Error::ObjectStore {
            uri: root.to_string(),
            message: format!("the {what} does not exist (or this identity may not see it)"),
        };
    }
    // Token endpoints (managed identity, metadata server, OAuth) answer with statuses of their
    // own: a 404 there is no missing object.
    if is_credential(&text) {
        return Error::ObjectStore {
            uri: uri.to_string(),
            message: shorten(format!(
                "no usable {service} credentials ({}): {}; {}",
                identity(scheme),
                redact(&text),
                credential_hint(scheme)
            )),
        };
    }
    let message = match (e, status, code) {
        (object_store::Error::NotFound { .. }, ..) | (_, Some(404), _) => not_found(scheme),
        (object_store::Error::PermissionDenied { .. }, ..) | (_, Some(403), _) => format!(
            "access denied (403{code_part}) to {}{server}; check the role assignment / ACL or the credentials",
            identity(scheme)
        ),
        (object_store::Error::Unauthenticated { .. }, ..) | (_, Some(401), _) => format!(
            "not authenticated (401{code_part}) with {}{server}; check the credentials",
            identity(scheme)
        ),
        (_, Some(s), _) if s >= 500 || s == 429 => format!(
            "{service} answered HTTP {s}{code_part}{server} after retries with backoff; the service is throttling or failing, try again later"
        ),
        (_, Some(s), _) => format!("{service} answered HTTP {s}{code_part}{server}"),
        _ if is_connect(&text) => format!(
            "cannot connect to the {service} endpoint (after retries); check the endpoint and network: {}",
            redact(&text)
        ),
        _ => format!("{service} request failed: {}", redact(&text)),
    };
    Error::ObjectStore {
        uri: uri.to_string(),
        message: shorten(message),
    }
}

pub fn timed_out(scheme: Scheme, uri: &str, after: Duration) -> Error {
    Error::ObjectStore {
        uri: uri.to_string(),
        message: format!(
            "no answer from {} within {} s (after retries); check the endpoint and network",
            scheme.service(),
            after.as_secs()
        ),
    }
}

pub fn not_found(scheme: Scheme) -> String {
    match scheme {
        Scheme::Azure => "no such blob (404)".into(),
        _ => "no such object (404)".into(),
    }
}

/// A short, redacted cause for errors that surface through `std::io` (broken streams).
pub fn cause(e: &object_store::Error) -> String {
    shorten(redact(&chain(e)))
}

/// Which credentials the client picked, as far as the environment tells: names, never values.
fn identity(scheme: Scheme) -> String {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    match scheme {
        Scheme::Azure if set("AZURE_STORAGE_USE_EMULATOR") => "the Azurite emulator account".into(),
        Scheme::Azure if set("AZURE_STORAGE_ACCOUNT_KEY") || set("AZURE_STORAGE_ACCESS_KEY") => {
            "the AZURE_STORAGE_ACCOUNT_KEY account key".into()
        }
        Scheme::Azure if set("AZURE_STORAGE_SAS_TOKEN") || set("AZURE_STORAGE_SAS_KEY") => {
            "the AZURE_STORAGE_SAS_TOKEN SAS token".into()
        }
        Scheme::Azure if set("AZURE_FEDERATED_TOKEN_FILE") => {
            "the workload identity (AZURE_FEDERATED_TOKEN_FILE)".into()
        }
        Scheme::Azure if set("AZURE_CLIENT_SECRET") => "the service principal (AZURE_CLIENT_ID)".into(),
        Scheme::Azure if set("AZURE_USE_AZURE_CLI") => "the Azure CLI login".into(),
        Scheme::Azure => "the managed identity (no credentials in the environment)".into(),
        Scheme::Gcs if set("GOOGLE_OAUTH_ACCESS_TOKEN") => "the access token of GOOGLE_OAUTH_ACCESS_TOKEN".into(),
        Scheme::Gcs if set("GOOGLE_SERVICE_ACCOUNT") || set("GOOGLE_SERVICE_ACCOUNT_PATH") => {
            "the service account of GOOGLE_SERVICE_ACCOUNT".into()
        }
        Scheme::Gcs if set("GOOGLE_SERVICE_ACCOUNT_KEY") => {
            "the service account key of GOOGLE_SERVICE_ACCOUNT_KEY".into()
        }
        Scheme::Gcs if set("GOOGLE_APPLICATION_CREDENTIALS") => "GOOGLE_APPLICATION_CREDENTIALS".into(),
        Scheme::Gcs => "application-default credentials or the metadata server".into(),
        Scheme::S3 => "the AWS credential chain".into(),
    }
}

fn credential_hint(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Azure => "set AZURE_STORAGE_ACCOUNT_KEY, AZURE_STORAGE_SAS_TOKEN or a service principal (AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID), or AZURE_USE_AZURE_CLI=true after `az login`",
        _ => "set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run `gcloud auth application-default login`",
    }
}

/// The error and its causes, each once, without object_store's "Generic <store> error: "
/// wrappers (they nest, and tell a SQL user nothing the message does not).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = crate::error::with_causes(e.to_string(), e);
    for wrapper in ["Generic MicrosoftAzure error: ", "Generic GCS error: "] {
        text = text.replace(wrapper, "");
    }
    text
}

/// The HTTP status `object_store` writes as "status code: 404 Not Found".
fn status_of(text: &str) -> Option<u16> {
    let at = text.find("status code: ")? + "status code: ".len();
    text.get(at..at + 3)?.parse().ok()
}

/// `<Code>X</Code>` of an XML error body (Azure and GCS both answer with one).
fn tag<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some(text[start..end].trim())
}

fn is_credential(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "token",
        "credential",
        "metadata",
        "managed identity",
        "imds",
        "169.254.169.254",
    ]
    .iter()
    .any(|k| t.contains(k))
}

fn is_connect(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "error sending request",
        "connect",
        "dns error",
        "timed out",
        "connection reset",
    ]
    .iter()
    .any(|k| t.contains(k))
}

/// Query strings cut from every URL in `text` (a SAS token travels there), and any leftover
/// `sig=` value blanked.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["http://", "https://"].iter().filter_map(|p| rest.find(p)).min() {
        out.push_str(&rest[..at]);
        let url_len = rest[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '<' | '>'))
            .unwrap_or(rest.len() - at);
        let url = &rest[at..at + url_len];
        match url.split_once('?') {
            Some((base, _)) => {
                out.push_str(base);
                out.push_str("?<query redacted>");
            }
            None => out.push_str(url),
        }
        rest = &rest[at + url_len..];
    }
    out.push_str(rest);
    while let Some(at) = out.find("sig=") {
        let end = out[at..]
            .find(|c: char| c == '&' || c.is_whitespace())
            .map(|e| at + e)
            .unwrap_or(out.len());
        out.replace_range(at..end, "s<redacted>");
    }
    out
}

fn shorten(mut s: String) -> String {
    if s.len() > CAUSE_LIMIT + 200 {
        let mut cut = CAUSE_LIMIT + 200;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_query_strings_and_signatures() {
        let t =
            "Error performing GET http://127.0.0.1:1/acct/c/x.csv?sv=2021&sig=SECRET%2B in 1s - refused (sig=OTHER)";
        let r = redact(t);
        assert!(!r.contains("SECRET") && !r.contains("OTHER"), "{r}");
        assert!(r.contains("http://127.0.0.1:1/acct/c/x.csv?<query redacted>"), "{r}");
    }

    #[test]
    fn drops_object_stores_generic_wrappers() {
        let e = object_store::Error::Generic {
            store: "MicrosoftAzure",
            source: "Generic MicrosoftAzure error: Error performing GET http://h/c/x?sig=S in 1s".into(),
        };
        let t = cause(&e);
        assert!(
            !t.contains("Generic") && t.starts_with("Error performing GET http://h/c/x?<query redacted>"),
            "{t}"
        );
    }

    #[test]
    fn reads_status_and_codes() {
        let t = "Server returned non-2xx status code: 404 Not Found: <?xml?><Error><Code>ContainerNotFound</Code><Message>The specified container does not exist.\nRequestId:1</Message></Error>";
        assert_eq!(status_of(t), Some(404));
        assert_eq!(tag(t, "Code"), Some("ContainerNotFound"));
        assert_eq!(status_of("no status here"), None);
    }
}
