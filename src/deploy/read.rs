//! Reading remote state without a state file: lookups by natural key, the
//! flows-filter singleton, and listed collections for nameless entities.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::desired::Desired;
use super::plan::RemoteState;
use crate::api::entities::{
    decode, lookup_query, same_identity, Field, Fields, IdentityRule, Kind, Remote,
};
use crate::api::retry::RetryPolicy;
use crate::api::{ApiError, Client};

/// How reads are run.
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    pub parallelism: usize,
    pub retry: RetryPolicy,
    /// Told about every retry (address or path, reason, delay).
    pub on_retry: &'a (dyn Fn(&str, &ApiError, Duration) + Sync),
}

/// Map `f` over `items` with at most `n` threads; results in input order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], n: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let n = n.clamp(1, items.len().max(1));
    let mut results: Vec<Option<R>> = Vec::with_capacity(items.len());
    results.resize_with(items.len(), || None);
    let collected = std::sync::Mutex::new(results);
    std::thread::scope(|s| {
        for _ in 0..n {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                if let Ok(mut c) = collected.lock() {
                    c[i] = Some(r);
                }
            });
        }
    });
    collected
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

fn decode_all(
    kind: Kind,
    items: &[serde_json::Value],
    path: &str,
) -> Result<Vec<Remote>, ApiError> {
    items
        .iter()
        .map(|j| {
            decode(kind, j).map_err(|e| ApiError::Decode {
                method: "GET".to_owned(),
                path: path.to_owned(),
                message: e.to_string(),
                request_id: String::new(),
            })
        })
        .collect()
}

/// Find the remote entity these fields describe, by natural key (or by
/// content for nameless kinds; the singleton for the flows filter).
///
/// # Errors
/// A request that failed for good.
pub fn find(
    client: &Client,
    retry: &RetryPolicy,
    kind: Kind,
    fields: &Fields,
    on_retry: &dyn Fn(&ApiError, Duration),
) -> Result<Option<Remote>, ApiError> {
    match kind.identity() {
        IdentityRule::Slug | IdentityRule::SlugAndType => {
            let Some(query) = lookup_query(kind, fields) else {
                return Ok(None);
            };
            let q: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let items = retry.run(|| client.list(kind.collection(), &q), on_retry)?;
            let remotes = decode_all(kind, &items, kind.collection())?;
            Ok(remotes
                .into_iter()
                .find(|r| same_identity(kind, fields, &r.fields)))
        }
        IdentityRule::Content(_) => {
            let remotes = list_collection(client, retry, kind, on_retry)?;
            Ok(remotes
                .into_iter()
                .find(|r| same_identity(kind, fields, &r.fields)))
        }
        IdentityRule::Singleton => match retry.run(|| client.get(kind.collection()), on_retry) {
            Ok(j) if j.is_null() => Ok(None),
            Ok(j) => decode_all(kind, &[j], kind.collection()).map(|mut v| v.pop()),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        },
    }
}

/// Every entity of a collection (a GET without a query answers a list).
///
/// # Errors
/// A request that failed for good.
pub fn list_collection(
    client: &Client,
    retry: &RetryPolicy,
    kind: Kind,
    on_retry: &dyn Fn(&ApiError, Duration),
) -> Result<Vec<Remote>, ApiError> {
    let items = retry.run(|| client.list(kind.collection(), &[]), on_retry)?;
    decode_all(kind, &items, kind.collection())
}

/// Stage 1: named entities, data sources and the flows filter, one lookup
/// each, in parallel.
///
/// # Errors
/// The first request that failed for good.
pub fn read_named(
    client: &Client,
    opts: &ReadOptions<'_>,
    desired: &[Desired],
) -> Result<RemoteState, ApiError> {
    let work: Vec<&Desired> = desired
        .iter()
        .filter(|d| !matches!(d.kind.identity(), IdentityRule::Content(_)))
        .collect();
    let results = parallel_map(&work, opts.parallelism, |d| {
        let notify = |e: &ApiError, delay: Duration| (opts.on_retry)(&d.address, e, delay);
        find(client, &opts.retry, d.kind, &d.fields, &notify)
    });
    let mut state = RemoteState::default();
    let mut seen = BTreeSet::new();
    for r in results {
        if let Some(remote) = r? {
            if seen.insert((remote.kind, remote.id.clone())) {
                state.entities.push(remote);
            }
        }
    }
    Ok(state)
}

/// Stage 2, once the named entities' ids are known: list each collection of
/// nameless entities the module declares, and note which remote entity a
/// remote referrer points at (`before` is the desired state evaluated
/// without ids, where references still show as pending).
///
/// # Errors
/// The first request that failed for good.
pub fn read_nameless(
    client: &Client,
    opts: &ReadOptions<'_>,
    before: &[Desired],
    desired: &[Desired],
    state: &mut RemoteState,
) -> Result<(), ApiError> {
    let kinds: Vec<Kind> = desired
        .iter()
        .filter(|d| !d.data && matches!(d.kind.identity(), IdentityRule::Content(_)))
        .map(|d| d.kind)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let results = parallel_map(&kinds, opts.parallelism, |k| {
        let notify = |e: &ApiError, delay: Duration| (opts.on_retry)(k.collection(), e, delay);
        list_collection(client, &opts.retry, *k, &notify)
    });
    for r in results {
        state.entities.extend(r?);
    }
    // Referrers: a remote entity whose attribute holds the id of a nameless one.
    for d in desired.iter().filter(|d| kinds.contains(&d.kind)) {
        for referrer in before.iter().filter(|r| r.depends_on.contains(&d.address)) {
            let Some(remote_referrer) = state.entities.iter().find(|e| {
                e.kind == referrer.kind && same_identity(referrer.kind, &referrer.fields, &e.fields)
            }) else {
                continue;
            };
            for (key, value) in &referrer.fields {
                if value != &Field::Pending(d.address.clone()) {
                    continue;
                }
                let Some(id) = remote_referrer.fields.get(key).and_then(Field::as_str) else {
                    continue;
                };
                if state
                    .entities
                    .iter()
                    .any(|e| e.kind == d.kind && e.id == id)
                {
                    state.hints.insert(d.address.clone(), id.to_owned());
                }
            }
        }
    }
    Ok(())
}
