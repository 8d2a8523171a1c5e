//! A source that finds its token on its first poll rather than when it is built: a slow
//! token_command or keyring delays that source's data, never the console's first frame.

use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::config::{SourceConfig, SourceKind};
use crate::model::NewSilence;
use crate::secrets::Keyring;

use super::registry::BuildError;
use super::{BoxFuture, Created, Extended, Silencer, Snapshot, Source, SourceError};

/// Builds the real source: walks the token chain (it may run a command or wait on the
/// keyring, so it runs on a blocking thread), then makes the client.
pub type Build = fn(
    &SourceConfig,
    &dyn Fn(&str) -> Option<String>,
    &dyn Keyring,
) -> Result<Arc<dyn Source>, BuildError>;

/// A configured source, built with its credentials on first use.
pub struct Deferred {
    config: SourceConfig,
    keyring: Arc<dyn Keyring>,
    build: Build,
    built: OnceCell<Arc<dyn Source>>,
}

impl Deferred {
    /// The source `config` describes, to be made by `build` when first needed.
    pub fn new(config: SourceConfig, keyring: Arc<dyn Keyring>, build: Build) -> Deferred {
        Deferred {
            config,
            keyring,
            build,
            built: OnceCell::new(),
        }
    }

    /// The real source, built now if it was not yet. A failure is not kept: the next
    /// poll tries again (a token_command may fail once and work after).
    async fn source(&self) -> Result<&Arc<dyn Source>, SourceError> {
        self.built
            .get_or_try_init(|| async {
                let (config, keyring, build) =
                    (self.config.clone(), self.keyring.clone(), self.build);
                tokio::task::spawn_blocking(move || {
                    let env = |var: &str| std::env::var(var).ok();
                    build(&config, &env, keyring.as_ref())
                })
                .await
                .map_err(|_| {
                    SourceError::Other(format!(
                        "source {}: finding its token failed",
                        self.config.name
                    ))
                })?
                .map_err(|e| SourceError::Other(e.to_string()))
            })
            .await
    }
}

impl Source for Deferred {
    fn name(&self) -> &str {
        &self.config.name
    }

    fn kind(&self) -> &str {
        self.config.kind.as_str()
    }

    fn fetch(&self) -> BoxFuture<'_, Result<Snapshot, SourceError>> {
        Box::pin(async move { self.source().await?.fetch().await })
    }

    fn silencer(&self) -> Option<&dyn Silencer> {
        (self.config.kind == SourceKind::Alertmanager).then_some(self as &dyn Silencer)
    }

    fn authenticating(&self) -> bool {
        let c = &self.config;
        let configured =
            c.token_command.is_some() || c.token_file.is_some() || c.username.is_some();
        configured && self.built.get().is_none()
    }

    fn authenticate(&self) -> BoxFuture<'_, Result<(), SourceError>> {
        Box::pin(async move { self.source().await.map(|_| ()) })
    }
}

impl Deferred {
    /// The real source's silencer, the source built first if it was not yet.
    async fn silencer_now(&self) -> Result<&dyn Silencer, SourceError> {
        self.source()
            .await?
            .silencer()
            .ok_or_else(|| cannot_silence(&self.config))
    }
}

impl Silencer for Deferred {
    fn create(&self, silence: NewSilence) -> BoxFuture<'_, Result<Created, SourceError>> {
        Box::pin(async move { self.silencer_now().await?.create(silence).await })
    }

    fn expire(&self, id: &str) -> BoxFuture<'_, Result<(), SourceError>> {
        let id = id.to_string();
        Box::pin(async move { self.silencer_now().await?.expire(&id).await })
    }

    fn extend(
        &self,
        id: &str,
        by: chrono::Duration,
    ) -> BoxFuture<'_, Result<Extended, SourceError>> {
        let id = id.to_string();
        Box::pin(async move { self.silencer_now().await?.extend(&id, by).await })
    }
}

fn cannot_silence(c: &SourceConfig) -> SourceError {
    SourceError::Other(format!("{} sources cannot silence", c.kind.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::KeyringError;

    struct NoKeyring;

    impl Keyring for NoKeyring {
        fn get(&self, _: &str) -> Result<Option<String>, KeyringError> {
            Err(KeyringError::NoSession)
        }
        fn set(&self, _: &str, _: &str) -> Result<(), KeyringError> {
            Err(KeyringError::NoSession)
        }
    }

    fn deferred(extra: &str) -> Deferred {
        let text = format!(
            "[[sources]]\nname = \"eu\"\nkind = \"alertmanager\"\nurl = \"http://127.0.0.1:9\"\n{extra}"
        );
        let config = crate::config::parse(std::path::Path::new("t.toml"), &text)
            .unwrap()
            .sources
            .remove(0);
        Deferred::new(config, Arc::new(NoKeyring), |c, env, keyring| {
            let settings = crate::sources::registry::http_settings(c, env, keyring)?;
            let client = super::super::http::HttpClient::new(&settings)?;
            let endpoint = super::super::http::Endpoint::parse("http://127.0.0.1:9")?;
            Ok(Arc::new(
                super::super::alertmanager::AlertmanagerSource::new(
                    &c.name,
                    client,
                    vec![endpoint],
                ),
            ))
        })
    }

    #[tokio::test]
    async fn the_token_is_found_on_first_use_and_a_failure_is_tried_again() {
        let marker = tempfile::tempdir().unwrap();
        let once = marker.path().join("tried");
        // Fails the first time it runs, prints a token the next.
        let s = deferred(&format!(
            "token_command = \"test -e {0} && echo deferred-token-1 || {{ touch {0}; exit 1; }}\"",
            once.display()
        ));
        assert!(
            s.authenticating(),
            "nothing was looked up when it was built"
        );
        assert!(!once.exists());
        let e = s.authenticate().await.unwrap_err().to_string();
        assert!(e.contains("token_command failed"), "{e}");
        assert!(s.authenticating());
        s.authenticate().await.unwrap();
        assert!(!s.authenticating());
        assert!(s.silencer().is_some());
    }

    #[tokio::test]
    async fn a_source_without_credentials_to_find_is_not_authenticating() {
        let s = deferred("");
        assert!(!s.authenticating());
        s.authenticate().await.unwrap();
    }
}
