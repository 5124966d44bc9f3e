//! Sending graphs to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol: `PUT
//! {endpoint}?graph={IRI}` replaces one named graph with the request body, so sending the same
//! graph again leaves the store as it was.
//!
//! [`Store::put`] retries what may pass on its own — connection errors, time-outs, HTTP 429 and
//! 5xx — with exponential backoff, and nothing else: any other answer is the store's final word
//! and comes back with the store's message.

use std::time::Duration;

use crate::error::{Error, Result};

/// The environment variable that holds a bearer token for the store.
pub const TOKEN_VAR: &str = "KENNIS_STORE_TOKEN";
/// The environment variables that hold a user name and password for HTTP Basic authentication.
pub const USER_VAR: &str = "KENNIS_STORE_USER";
pub const PASSWORD_VAR: &str = "KENNIS_STORE_PASSWORD";

/// How kennis proves who it is to the store. Read from the environment only, so a secret is
/// never on a command line (where `ps` shows it) or in a message.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    Bearer(String),
    Basic { user: String, password: String },
}

impl std::fmt::Debug for Auth {
    /// Never shows the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl Auth {
    /// `KENNIS_STORE_TOKEN`, or `KENNIS_STORE_USER` with `KENNIS_STORE_PASSWORD`, or nothing.
    pub fn from_env() -> Result<Option<Auth>> {
        Auth::from_vars(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Option<Auth>> {
        match (var(TOKEN_VAR), var(USER_VAR), var(PASSWORD_VAR)) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(Error::Usage(format!(
                "both {TOKEN_VAR} and {USER_VAR}/{PASSWORD_VAR} are set: unset one of them"
            ))),
            (Some(token), None, None) => Ok(Some(Auth::Bearer(token))),
            (None, Some(user), Some(password)) => Ok(Some(Auth::Basic { user, password })),
            (None, Some(_), None) => Err(Error::Usage(format!(
                "{USER_VAR} is set but {PASSWORD_VAR} is not: set both for Basic authentication"
            ))),
            (None, None, Some(_)) => Err(Error::Usage(format!(
                "{PASSWORD_VAR} is set but {USER_VAR} is not: set both for Basic authentication"
            ))),
            (None, None, None) => Ok(None),
        }
    }

    /// What it is, for messages (never the secret).
    pub fn describe(&self) -> &'static str {
        match self {
            Auth::Bearer(_) => "a bearer token from KENNIS_STORE_TOKEN",
            Auth::Basic { .. } => {
                "Basic authentication from KENNIS_STORE_USER and KENNIS_STORE_PASSWORD"
            }
        }
    }

    fn header(&self) -> String {
        match self {
            Auth::Bearer(token) => format!("Bearer {token}"),
            Auth::Basic { user, password } => {
                format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
            }
        }
    }
}

/// How [`Store::put`] retries and how long it waits.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The longest one request may take, connecting included.
    pub timeout: Duration,
    /// Retries after the first try (so `retries + 1` tries at most).
    pub retries: u32,
    /// The wait before the first retry; doubled for each next one, up to [`MAX_WAIT`].
    pub backoff: Duration,
}

/// The longest wait between two tries, whatever `backoff` and a `Retry-After` header say.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// A store's Graph Store Protocol endpoint.
pub struct Store {
    agent: ureq::Agent,
    endpoint: String,
    auth: Option<Auth>,
    policy: Policy,
}

/// A graph the store took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// The store's answer: 201 Created (a new graph) or 200/204 (replaced).
    pub status: u16,
    pub tries: u32,
}

/// A graph the store did not take, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The whole reason, naming the URL, the answer and the store's message.
    pub reason: String,
    pub tries: u32,
    /// Whether the store could not be reached at all (no connection, no answer in time), as
    /// opposed to answering with an error.
    pub unreachable: bool,
}

/// One try's outcome.
enum Try {
    Done(u16),
    /// Worth another try (after at least the given wait, from `Retry-After`).
    Again {
        reason: String,
        unreachable: bool,
        wait: Option<Duration>,
    },
    Final(String),
}

impl Store {
    /// Checks `endpoint` (an absolute http or https URL without credentials or fragment).
    pub fn new(endpoint: &str, auth: Option<Auth>, policy: Policy) -> Result<Store> {
        check_endpoint(endpoint)?;
        if policy.timeout.is_zero() {
            return Err(Error::Usage("--timeout must be more than 0 seconds".into()));
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(policy.timeout))
            .user_agent(concat!("kennis/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Store {
            agent: config.into(),
            endpoint: endpoint.to_string(),
            auth,
            policy,
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The URL of the graph named `graph`: `{endpoint}?graph={graph, percent-encoded}`.
    pub fn graph_url(&self, graph: &str) -> String {
        let sep = if self.endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{sep}graph={}", self.endpoint, query_encode(graph))
    }

    /// Replaces the graph `graph` with `body` (in `content_type`), trying again on failures that
    /// may pass.
    pub fn put(
        &self,
        graph: &str,
        content_type: &str,
        body: &[u8],
    ) -> std::result::Result<Sent, Refused> {
        let url = self.graph_url(graph);
        let mut tries = 0;
        loop {
            tries += 1;
            match self.try_put(&url, content_type, body) {
                Try::Done(status) => return Ok(Sent { status, tries }),
                Try::Final(reason) => {
                    return Err(Refused {
                        reason,
                        tries,
                        unreachable: false,
                    })
                }
                Try::Again {
                    reason,
                    unreachable,
                    wait,
                } => {
                    if tries > self.policy.retries {
                        let reason = match tries {
                            1 => reason,
                            n => format!("{reason} (tried {n} times)"),
                        };
                        return Err(Refused {
                            reason,
                            tries,
                            unreachable,
                        });
                    }
                    let backoff = self.policy.backoff.saturating_mul(1 << (tries - 1).min(16));
                    std::thread::sleep(backoff.max(wait.unwrap_or_default()).min(MAX_WAIT));
                }
            }
        }
    }

    fn try_put(&self, url: &str, content_type: &str, body: &[u8]) -> Try {
        let mut request = self.agent.put(url).header("Content-Type", content_type);
        if let Some(auth) = &self.auth {
            request = request.header("Authorization", auth.header());
        }
        let mut response = match request.send(body) {
            Ok(r) => r,
            Err(e) => return failed_to_send(&self.endpoint, e),
        };
        let status = response.status();
        let code = status.as_u16();
        if status.is_success() {
            // Read the (usually empty) body so the connection can be used again.
            let _ = response
                .body_mut()
                .with_config()
                .limit(1 << 16)
                .read_to_vec();
            return Try::Done(code);
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let retry_after = header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let location = header("location");
        let html = header("content-type").is_some_and(|t| t.contains("html"));
        let text = response
            .body_mut()
            .with_config()
            .limit(1 << 16)
            .read_to_string()
            .unwrap_or_default();
        let mut reason = format!(
            "{} answered {code} {}",
            self.endpoint,
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string();
        let message = store_message(&text, html);
        if !message.is_empty() {
            reason.push_str(&format!(": {message}"));
        }
        match code {
            429 | 500..=599 => Try::Again {
                reason,
                unreachable: false,
                wait: retry_after,
            },
            300..=399 => Try::Final(format!(
                "{reason} (redirected to {}: give that URL to --to)",
                location.as_deref().unwrap_or("?")
            )),
            401 | 403 => Try::Final(format!(
                "{reason} (check the credentials in {TOKEN_VAR}, or {USER_VAR} and {PASSWORD_VAR})"
            )),
            404 | 405 => Try::Final(format!(
                "{reason} (is it the store's Graph Store Protocol endpoint? e.g. Oxigraph …/store, Fuseki …/DATASET/data)"
            )),
            415 => Try::Final(format!("{reason} (try --format turtle)")),
            _ => Try::Final(reason),
        }
    }
}

/// What a request to `endpoint` that got no answer means.
fn failed_to_send(endpoint: &str, e: ureq::Error) -> Try {
    let again = |what: String| Try::Again {
        reason: format!("{endpoint}: {what}"),
        unreachable: true,
        wait: None,
    };
    match e {
        ureq::Error::Timeout(_) => again("no answer in time (see --timeout)".into()),
        ureq::Error::HostNotFound => again("host not found".into()),
        ureq::Error::ConnectionFailed => again("cannot connect".into()),
        ureq::Error::Io(e) => again(match e.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                "connection refused (is the store running?)".into()
            }
            _ => format!("connection failed: {e}"),
        }),
        // A connection closed or garbled halfway: the next try may get through.
        ureq::Error::Protocol(e) => again(format!("broken answer: {e}")),
        e => Try::Final(format!("{endpoint}: {e}")),
    }
}

/// The store's error message on one line, without markup, at most 300 characters.
fn store_message(text: &str, html: bool) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' if html => in_tag = true,
            '>' if html && in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if in_tag => {}
            c => plain.push(c),
        }
    }
    let words: Vec<&str> = plain.split_whitespace().collect();
    let one_line = words.join(" ");
    if one_line.chars().count() <= 300 {
        return one_line;
    }
    let cut: String = one_line.chars().take(300).collect();
    format!("{cut}…")
}

/// Refuses what cannot be a Graph Store endpoint; never repeats a URL that holds credentials.
fn check_endpoint(url: &str) -> Result<()> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| {
            Error::Usage(format!(
                "--to {url:?} is not an http:// or https:// URL (e.g. http://localhost:7878/store)"
            ))
        })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(Error::Usage(format!(
            "--to holds credentials: leave them out of the URL and set {TOKEN_VAR}, or {USER_VAR} and {PASSWORD_VAR}"
        )));
    }
    if authority.is_empty() {
        return Err(Error::Usage(format!("--to {url:?} names no host")));
    }
    if url.contains('#') {
        return Err(Error::Usage(format!(
            "--to {url:?} has a fragment (#…): give the endpoint's URL without it"
        )));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Usage(format!("--to {url:?} holds spaces")));
    }
    Ok(())
}

/// Percent-encodes a query-string value: everything but unreserved ASCII, byte by byte.
pub fn query_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648), for the Basic authentication header.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded, "{plain:?}");
        }
    }

    #[test]
    fn graph_urls_encode_the_iri() {
        let policy = Policy {
            timeout: Duration::from_secs(1),
            retries: 0,
            backoff: Duration::ZERO,
        };
        let store = Store::new("http://localhost:7878/store", None, policy.clone()).unwrap();
        assert_eq!(
            store.graph_url("https://kennis.example/doc/a b?x=1&y=ü#z"),
            "http://localhost:7878/store?graph=https%3A%2F%2Fkennis.example%2Fdoc%2Fa%20b%3Fx%3D1%26y%3D%C3%BC%23z"
        );
        let store = Store::new("http://h/sparql?default-graph-uri=", None, policy.clone()).unwrap();
        assert!(store
            .graph_url("urn:x")
            .starts_with("http://h/sparql?default-graph-uri=&graph=urn%3Ax"));
        for bad in [
            "localhost:7878/store",
            "ftp://h/store",
            "http://",
            "http://h/store#x",
            "http://h/st ore",
        ] {
            assert!(Store::new(bad, None, policy.clone()).is_err(), "{bad}");
        }
        let e = Store::new("https://admin:s3cret@h/store", None, policy)
            .err()
            .unwrap()
            .to_string();
        assert!(!e.contains("s3cret") && e.contains(TOKEN_VAR), "{e}");
    }

    #[test]
    fn credentials_come_from_the_environment_only_whole() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Auth::from_vars(vars(&[])).unwrap(), None);
        let token = Auth::from_vars(vars(&[(TOKEN_VAR, "t0k")]))
            .unwrap()
            .unwrap();
        assert_eq!(token.header(), "Bearer t0k");
        let basic = Auth::from_vars(vars(&[
            (USER_VAR, "Aladdin"),
            (PASSWORD_VAR, "open sesame"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(basic.header(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(!format!("{basic:?}").contains("sesame"));
        assert!(Auth::from_vars(vars(&[(USER_VAR, "u")])).is_err());
        assert!(Auth::from_vars(vars(&[(PASSWORD_VAR, "p")])).is_err());
        assert!(Auth::from_vars(vars(&[(TOKEN_VAR, "t"), (USER_VAR, "u")])).is_err());
    }

    #[test]
    fn store_messages_are_one_short_line_without_markup() {
        assert_eq!(
            store_message(
                "<html><body><h1>Error 400</h1>\n<p>Bad  IRI</p></body></html>",
                true
            ),
            "Error 400 Bad IRI"
        );
        assert_eq!(store_message("a < b\n", false), "a < b");
        let long = "x".repeat(1000);
        assert_eq!(store_message(&long, false).chars().count(), 301);
    }
}
