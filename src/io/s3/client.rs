//! The S3 clients (one per settings), and which settings a bucket uses.
//!
//! DuckDB calls us on its own threads; they block on the shared runtime. Clients are
//! cached per (region, endpoint, profile): building one resolves the AWS config (files, env),
//! and its connection pool and credential cache should outlive a query.

use crate::error::Result;
use crate::io::bridge::Registry;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use std::sync::Arc;
use std::time::Duration;

/// Named parameters `region`, `endpoint`, `profile`; `None` means "from the AWS chain".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Settings {
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub profile: Option<String>,
}

/// A client and what errors may say about it (never a credential).
pub struct Client {
    pub s3: aws_sdk_s3::Client,
    pub region: String,
    /// The endpoint in use, if not AWS's own (shown when it cannot be reached).
    pub endpoint: Option<String>,
    /// Which identity signs the requests, as far as we can tell without resolving credentials.
    pub identity: String,
}

/// Connect fast-fails an unreachable endpoint; the attempt timeout bounds a server that accepts
/// but never answers. Body reads are bounded by the SDK's stalled-stream protection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(30);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(150);
/// Throttling, 5xx and transient network errors: 4 attempts, exponential backoff with jitter.
pub(crate) const MAX_ATTEMPTS: u32 = 4;

/// The settings the latest query gave per bucket, and the clients built per settings.
static BUCKETS: Registry<String, Settings> = Registry::new();
static CLIENTS: Registry<Settings, Arc<Client>> = Registry::new();

/// Remembers the settings a query gave for a bucket. Scan units carry only URIs, so the I/O
/// layer looks the settings up by bucket; the latest bind naming a bucket decides (two
/// concurrent queries reading one bucket through different endpoints would race; see README).
pub fn configure(bucket: &str, settings: Settings) {
    BUCKETS.set(bucket.to_string(), settings);
}

/// The client for a bucket.
pub fn client(bucket: &str) -> Result<Arc<Client>> {
    let settings = BUCKETS.get(&bucket.to_string()).unwrap_or_default();
    CLIENTS.get_or_build(settings, |s| build(s).map(Arc::new))
}

fn build(s: &Settings) -> Result<Client> {
    let rt = crate::io::bridge::runtime()?;
    // Built explicitly: the SDK's default client would pull in aws-lc (a C build needing cmake).
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_initial_backoff(Duration::from_millis(200))
                .with_max_backoff(Duration::from_secs(5)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .read_timeout(READ_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    // Without `region`, the loader's own chain decides (env, then the selected profile).
    if let Some(r) = &s.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(p) = &s.profile {
        loader = loader.profile_name(p);
    }
    if let Some(e) = &s.endpoint {
        loader = loader.endpoint_url(e);
    }
    let sdk = rt.block_on(loader.load());
    let endpoint = sdk.endpoint_url().map(str::to_string);
    // S3-compatible stores (MinIO, Ceph, moto, R2) are addressed path-style: their buckets are
    // rarely DNS names under the endpoint.
    // No region anywhere (no env, no profile): us-east-1, where S3 redirects from if needed.
    let region = sdk.region().cloned().unwrap_or(Region::from_static("us-east-1"));
    let conf = aws_sdk_s3::config::Builder::from(&sdk)
        .region(region.clone())
        .force_path_style(endpoint.is_some())
        .build();
    let identity = match (&s.profile, std::env::var_os("AWS_PROFILE")) {
        (Some(p), _) => format!("profile '{p}'"),
        (None, Some(p)) => format!("profile '{}' (AWS_PROFILE)", p.to_string_lossy()),
        (None, None) if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() => {
            "the AWS_ACCESS_KEY_ID environment credentials".to_string()
        }
        _ => "the default AWS credential chain".to_string(),
    };
    Ok(Client {
        s3: aws_sdk_s3::Client::from_conf(conf),
        region: region.to_string(),
        endpoint,
        identity,
    })
}
