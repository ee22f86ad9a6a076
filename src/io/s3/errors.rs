//! SDK errors as messages a SQL user can act on. Built from status codes, error codes and the
//! server's message only: never from request dumps, which could carry signatures.

use crate::error::Error;
use crate::io::s3::client::Client;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};

/// `what` is the object or prefix the request was about, as an `s3://` URI.
pub fn map<E: ProvideErrorMetadata + std::error::Error + 'static>(
    what: &str,
    bucket: &str,
    c: &Client,
    e: SdkError<E, HttpResponse>,
) -> Error {
    let status = e.raw_response().map(|r| r.status().as_u16());
    let header = |name: &str| e.raw_response().and_then(|r| r.headers().get(name)).map(str::to_string);
    let code = e.code().unwrap_or("").to_string();
    // HEAD answers carry no body, hence often no error code.
    let code_part = if code.is_empty() {
        String::new()
    } else {
        format!(" {code}")
    };
    let server_msg = e.message().map(|m| format!(" ({m})")).unwrap_or_default();
    let message = match (&e, status, code.as_str()) {
        (SdkError::TimeoutError(_), ..) => format!(
            "no answer from the S3 endpoint {} within the time limit (after retries); check the endpoint and network",
            endpoint(c)
        ),
        // Identity resolution fails inside dispatch: say so, not "cannot send".
        (SdkError::DispatchFailure(_), ..) if source_text(&e).contains("credentials") => format!(
            "no usable AWS credentials ({}){}; set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, configure a profile (profile := '...'), SSO or a role",
            c.identity,
            source_text(&e)
        ),
        (SdkError::DispatchFailure(d), ..) => {
            let kind = if d.is_timeout() {
                "timed out connecting to"
            } else if d.is_io() {
                "cannot connect to"
            } else {
                "cannot send the request to"
            };
            format!(
                "{kind} the S3 endpoint {} (after {} attempts); check the endpoint, region and network{}",
                endpoint(c),
                super::client_attempts(),
                source_text(&e)
            )
        }
        (SdkError::ConstructionFailure(_), ..) => {
            format!("cannot build the S3 request: {}", source_text(&e).trim_start_matches(": "))
        }
        (_, _, "NoSuchBucket") => format!("the bucket '{bucket}' does not exist (endpoint {})", endpoint(c)),
        (_, _, "NoSuchKey") | (_, Some(404), _) => "no such object (404)".to_string(),
        (_, Some(403), _) | (_, _, "AccessDenied") => format!(
            "access denied (403) for bucket '{bucket}' to {}{server_msg}; check its IAM/bucket policy, or pass profile := '...'",
            c.identity
        ),
        (_, Some(301), _) | (_, _, "PermanentRedirect") | (_, _, "AuthorizationHeaderMalformed") => {
            match header("x-amz-bucket-region") {
                Some(r) => format!(
                    "the bucket '{bucket}' is in region {r}, not {}; pass region := '{r}'",
                    c.region
                ),
                None => format!(
                    "the bucket '{bucket}' is not in region {}{server_msg}; pass region := '<its region>'",
                    c.region
                ),
            }
        }
        (_, Some(s), _) if s >= 500 || code == "SlowDown" => format!(
            "S3 answered HTTP {s}{code_part}{server_msg} (after {} attempts with backoff); the service is throttling or failing, try again later",
            super::client_attempts()
        ),
        (_, Some(s), _) => format!("S3 answered HTTP {s}{code_part}{server_msg}"),
        _ => format!("S3 request failed{}", source_text(&e)),
    };
    Error::ObjectStore {
        uri: what.to_string(),
        message,
    }
}

fn endpoint(c: &Client) -> String {
    c.endpoint
        .clone()
        .unwrap_or_else(|| format!("s3.{}.amazonaws.com", c.region))
}

/// The causes, joined (": cause: inner cause"); credential errors land here ("profile 'x' not found").
fn source_text(e: &dyn std::error::Error) -> String {
    crate::error::with_causes(String::new(), e)
}
