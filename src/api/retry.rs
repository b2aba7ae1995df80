//! Exponential backoff with jitter, honouring `Retry-After`.

use std::time::Duration;

use super::ApiError;

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in total (first try included).
    pub attempts: u32,
    /// Delay before the second attempt; doubled each time.
    pub base: Duration,
    /// Upper bound of one delay (also caps `Retry-After`).
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            base: Duration::from_millis(200),
            max: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The delay before attempt `attempt + 1` (`attempt` counts from 1)
    /// after `err`: `Retry-After` when given, else `base * 2^(attempt-1)`
    /// capped at `max`, with "equal jitter" (between half and all of it).
    #[must_use]
    pub fn delay(&self, attempt: u32, err: &ApiError) -> Duration {
        if let Some(after) = err.retry_after() {
            return after.min(self.max);
        }
        let exp = self
            .base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.max);
        let half = capped / 2;
        half + jitter(half)
    }

    /// Run `op` until it succeeds, fails for good, or runs out of attempts.
    ///
    /// # Errors
    /// The last error.
    pub fn run<T>(
        &self,
        mut op: impl FnMut() -> Result<T, ApiError>,
        mut on_retry: impl FnMut(&ApiError, Duration),
    ) -> Result<T, ApiError> {
        let mut attempt = 1;
        loop {
            match op() {
                Ok(v) => return Ok(v),
                Err(e) if e.is_retryable() && attempt < self.attempts => {
                    let d = self.delay(attempt, &e);
                    on_retry(&e, d);
                    std::thread::sleep(d);
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// A random duration in `[0, upto]`.
fn jitter(upto: Duration) -> Duration {
    let nanos = upto.as_nanos();
    if nanos == 0 {
        return Duration::ZERO;
    }
    let r = uuid::Uuid::new_v4().as_u128();
    Duration::from_nanos((r % (nanos + 1)) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error(retry_after: Option<Duration>) -> ApiError {
        ApiError::Status {
            method: "GET".into(),
            path: "/x".into(),
            status: 503,
            retry_after,
            retryable: false,
            request_id: String::new(),
        }
    }

    #[test]
    fn delays_grow_and_are_capped() {
        let p = RetryPolicy {
            attempts: 10,
            base: Duration::from_millis(100),
            max: Duration::from_millis(500),
        };
        let e = server_error(None);
        for attempt in 1..10 {
            let d = p.delay(attempt, &e);
            let full = (Duration::from_millis(100) * (1 << (attempt - 1))).min(p.max);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
        }
    }

    #[test]
    fn retry_after_is_honoured() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(1, &server_error(Some(Duration::from_secs(2)))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn run_stops_on_permanent_errors() {
        let p = RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(1),
            max: Duration::from_millis(1),
        };
        let mut calls = 0;
        let r: Result<(), _> = p.run(
            || {
                calls += 1;
                Err(ApiError::Forbidden {
                    method: "GET".into(),
                    path: "/x".into(),
                    request_id: String::new(),
                })
            },
            |_, _| {},
        );
        assert!(r.is_err());
        assert_eq!(calls, 1);
        let mut calls = 0;
        let r = p.run(
            || {
                calls += 1;
                if calls < 3 {
                    Err(server_error(None))
                } else {
                    Ok(calls)
                }
            },
            |_, _| {},
        );
        assert_eq!(r.ok(), Some(3));
    }
}
