//! Building the Azure and Google clients: each service's credential chain as `object_store`
//! reads it from the environment, plus what the URI and the query add, with bounded retries.

use super::{errors, Settings};
use crate::error::{Error, Result};
use crate::io::location::{ObjectUri, Scheme};
use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
use object_store::gcp::{GcpCredential, GoogleCloudStorageBuilder, GoogleConfigKey};
use object_store::{BackoffConfig, ClientConfigKey, ObjectStore, RetryConfig, StaticCredentialProvider};
use std::sync::Arc;
use std::time::Duration;

/// Throttling, 5xx and transient network errors: 3 retries with exponential backoff, and no
/// retrying past a minute in all.
fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            base: 2.0,
        },
        max_retries: 3,
        retry_timeout: Duration::from_secs(60),
    }
}

/// Connects fail fast; the whole-request timeout is off because a stream of a large export
/// legitimately takes minutes (stalls are caught per chunk, requests by the caller's bound).
const CLIENT_OPTIONS: &[(ClientConfigKey, &str)] = &[
    (ClientConfigKey::ConnectTimeout, "5s"),
    (ClientConfigKey::Timeout, "24h"),
];

/// `az://container/...`, `abfss://container@account.dfs.core.windows.net/...`: the account
/// comes from the URI or `AZURE_STORAGE_ACCOUNT_NAME`; credentials from `AZURE_STORAGE_ACCOUNT_KEY`,
/// `AZURE_STORAGE_SAS_TOKEN`, a service principal (`AZURE_CLIENT_ID`/`_SECRET`/`AZURE_TENANT_ID`),
/// workload identity (`AZURE_FEDERATED_TOKEN_FILE`), the Azure CLI (`AZURE_USE_AZURE_CLI=true`)
/// or else the VM's managed identity. `AZURE_STORAGE_USE_EMULATOR=true` selects Azurite.
pub fn azure(o: &ObjectUri, s: &Settings) -> Result<Arc<dyn ObjectStore>> {
    let mut b = MicrosoftAzureBuilder::from_env()
        .with_container_name(o.bucket)
        .with_retry(retry());
    for (k, v) in CLIENT_OPTIONS {
        b = b.with_config(AzureConfigKey::Client(*k), *v);
    }
    if let Some(a) = o.account {
        b = b.with_account(a);
    }
    if let Some(e) = &s.endpoint {
        // The client appends "/container/key": a trailing '/' would double it.
        let e = e.trim_end_matches('/');
        b = b.with_endpoint(e.to_string()).with_allow_http(e.starts_with("http://"));
    }
    let no_account = std::env::var_os("AZURE_STORAGE_ACCOUNT_NAME").is_none()
        && o.account.is_none()
        && !env_true("AZURE_STORAGE_USE_EMULATOR");
    b.build().map(|s| Arc::new(s) as _).map_err(|e| {
        let uri = o.uri_of(o.key);
        if no_account {
            Error::ObjectStore {
                uri,
                message: "no Azure storage account: write it in the URI (abfss://container@ACCOUNT.dfs.core.windows.net/... or az://ACCOUNT.blob.core.windows.net/container/...) or set AZURE_STORAGE_ACCOUNT_NAME".into(),
            }
        } else {
            errors::map(Scheme::Azure, o.root, &uri, &e)
        }
    })
}

/// `gs://bucket/...`: credentials from `GOOGLE_OAUTH_ACCESS_TOKEN` (an access token, e.g. from
/// `gcloud auth print-access-token`), `GOOGLE_SERVICE_ACCOUNT` (a key file path),
/// `GOOGLE_SERVICE_ACCOUNT_KEY` (the key itself), `GOOGLE_APPLICATION_CREDENTIALS` or gcloud's
/// application-default credentials, else the VM's metadata server.
pub fn gcs(o: &ObjectUri, s: &Settings) -> Result<Arc<dyn ObjectStore>> {
    if s.endpoint.is_some() {
        return Err(Error::usage(format!(
            "'{}': endpoint does not apply to gs:// (Google's client takes a custom endpoint only as gcs_base_url in the service-account file)",
            o.uri_of(o.key)
        )));
    }
    let mut b = GoogleCloudStorageBuilder::from_env()
        .with_bucket_name(o.bucket)
        .with_retry(retry());
    for (k, v) in CLIENT_OPTIONS {
        b = b.with_config(GoogleConfigKey::Client(*k), *v);
    }
    if let Some(token) = std::env::var("GOOGLE_OAUTH_ACCESS_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
    {
        b = b.with_credentials(Arc::new(StaticCredentialProvider::new(GcpCredential { bearer: token })));
    }
    b.build()
        .map(|s| Arc::new(s) as _)
        .map_err(|e| errors::map(Scheme::Gcs, o.root, &o.uri_of(o.key), &e))
}

fn env_true(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
}
