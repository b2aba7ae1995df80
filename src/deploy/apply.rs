//! The apply executor: a DAG of creates and updates run by `parallelism`
//! worker threads in dependency order. Ids of created entities are fed into
//! their dependants (by re-resolving the desired state). Writes are retried
//! with backoff; a write whose answer was lost is re-read by natural key
//! before it is repeated, so nothing is created twice. On a permanent
//! failure (or Ctrl-C) nothing new is scheduled, in-flight writes finish,
//! and the report says what was and was not applied.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::desired::Desired;
use super::plan::{diff, Action, Plan};
use super::read::find;
use crate::api::entities::{decode, encode, fields_equal, Fields, Kind, Remote};
use crate::api::retry::RetryPolicy;
use crate::api::{ApiError, Client};

/// Produces the desired state with the ids known so far.
pub trait Resolve {
    fn resolve(&mut self, known: &BTreeMap<String, String>) -> Vec<Desired>;
}

/// A fixed desired state whose pending ids are substituted (no module).
pub struct Substitute(pub Vec<Desired>);

impl Resolve for Substitute {
    fn resolve(&mut self, known: &BTreeMap<String, String>) -> Vec<Desired> {
        let mut d = self.0.clone();
        super::desired::substitute_ids(&mut d, known);
        d
    }
}

/// What happened to one entity.
#[derive(Debug, Clone)]
pub enum Outcome {
    Created(Remote),
    Updated(String),
    Failed(String),
    /// Not attempted; why.
    NotApplied(String),
}

impl Outcome {
    #[must_use]
    pub fn applied(&self) -> bool {
        matches!(self, Outcome::Created(_) | Outcome::Updated(_))
    }
}

/// Told what the executor is doing (progress bars or plain lines).
pub trait Progress: Sync {
    fn begin(&self, total: usize);
    fn start(&self, address: &str, action: Action);
    fn retry(&self, address: &str, message: &str);
    fn done(&self, address: &str, outcome: &Outcome);
    fn finish(&self);
}

/// No output.
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _: usize) {}
    fn start(&self, _: &str, _: Action) {}
    fn retry(&self, _: &str, _: &str) {}
    fn done(&self, _: &str, _: &Outcome) {}
    fn finish(&self) {}
}

#[derive(Debug, Clone, Copy)]
pub struct ApplyOptions {
    pub parallelism: usize,
    pub retry: RetryPolicy,
}

/// The result of an apply, in plan order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub outcomes: Vec<(String, Outcome)>,
    pub interrupted: bool,
    /// Every id known at the end (existing and created).
    pub known_ids: BTreeMap<String, String>,
}

impl Report {
    #[must_use]
    pub fn failed(&self) -> bool {
        self.outcomes.iter().any(|(_, o)| !o.applied()) || self.interrupted
    }
}

struct Job {
    address: String,
    kind: Kind,
    id: Option<String>,
    fields: Fields,
    clear: Vec<String>,
}

/// Apply the creates and updates of `plan`.
pub fn apply(
    client: &Client,
    plan: &Plan,
    desired: Vec<Desired>,
    resolver: &mut dyn Resolve,
    options: &ApplyOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Report {
    let work: Vec<&super::plan::Entry> = plan
        .entries
        .iter()
        .filter(|e| matches!(e.action, Action::Create | Action::Update))
        .collect();
    let nodes: BTreeSet<&str> = work.iter().map(|e| e.address.as_str()).collect();
    let mut waiting: BTreeMap<&str, BTreeSet<&str>> = work
        .iter()
        .map(|e| {
            (
                e.address.as_str(),
                e.depends_on
                    .iter()
                    .map(String::as_str)
                    .filter(|d| nodes.contains(d) && *d != e.address)
                    .collect(),
            )
        })
        .collect();
    let mut ready: VecDeque<&super::plan::Entry> = work
        .iter()
        .copied()
        .filter(|e| {
            waiting
                .get(e.address.as_str())
                .is_none_or(BTreeSet::is_empty)
        })
        .collect();
    let mut known = plan.known_ids();
    let mut current: BTreeMap<String, Desired> = desired
        .into_iter()
        .map(|d| (d.address.clone(), d))
        .collect();
    let mut resolved_with = known.len();
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    let mut stop = false;
    let mut interrupted = false;
    progress.begin(work.len());

    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (res_tx, res_rx) = mpsc::channel::<(String, Outcome)>();
    let workers = options.parallelism.clamp(1, work.len().max(1));

    std::thread::scope(|s| {
        for _ in 0..workers {
            let job_rx = Arc::clone(&job_rx);
            let res_tx = res_tx.clone();
            s.spawn(move || loop {
                let job = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok(job) = job else { break };
                let outcome = execute(client, &options.retry, &job, progress);
                if res_tx.send((job.address, outcome)).is_err() {
                    break;
                }
            });
        }
        drop(res_tx);
        let mut in_flight = 0usize;
        loop {
            if cancel.load(Ordering::SeqCst) && !stop {
                stop = true;
                interrupted = true;
            }
            while !stop && in_flight < options.parallelism {
                let Some(entry) = ready.pop_front() else {
                    break;
                };
                // Feed in ids created since the last resolve.
                let needs = current
                    .get(&entry.address)
                    .is_some_and(|d| !d.pending().is_empty());
                if needs && known.len() > resolved_with {
                    current = resolver
                        .resolve(&known)
                        .into_iter()
                        .map(|d| (d.address.clone(), d))
                        .collect();
                    resolved_with = known.len();
                }
                let Some(d) = current.get(&entry.address) else {
                    outcomes.insert(
                        entry.address.clone(),
                        Outcome::Failed(
                            "it disappeared from the module while deploying".to_owned(),
                        ),
                    );
                    stop = true;
                    continue;
                };
                if let Some(missing) = d.pending().into_iter().next() {
                    outcomes.insert(
                        entry.address.clone(),
                        Outcome::Failed(format!("the id of `{missing}` is still not known")),
                    );
                    stop = true;
                    continue;
                }
                progress.start(&entry.address, entry.action);
                let job = Job {
                    address: entry.address.clone(),
                    kind: entry.kind,
                    id: entry.id.clone(),
                    fields: d.fields.clone(),
                    clear: entry.clear.clone(),
                };
                if job_tx.send(job).is_err() {
                    stop = true;
                    break;
                }
                in_flight += 1;
            }
            if in_flight == 0 {
                break;
            }
            let Ok((address, outcome)) = res_rx.recv_timeout(Duration::from_millis(100)) else {
                continue;
            };
            in_flight -= 1;
            progress.done(&address, &outcome);
            match &outcome {
                Outcome::Created(r) => {
                    known.insert(address.clone(), r.id.clone());
                }
                Outcome::Updated(id) => {
                    known.insert(address.clone(), id.clone());
                }
                Outcome::Failed(_) | Outcome::NotApplied(_) => stop = true,
            }
            if outcome.applied() {
                for e in &work {
                    if let Some(w) = waiting.get_mut(e.address.as_str()) {
                        if w.remove(address.as_str()) && w.is_empty() {
                            ready.push_back(e);
                        }
                    }
                }
            }
            outcomes.insert(address, outcome);
        }
        drop(job_tx);
    });
    progress.finish();
    let why = if interrupted {
        "interrupted before it started"
    } else {
        "not started because of the failure above"
    };
    let outcomes = work
        .iter()
        .map(|e| {
            let o = outcomes
                .remove(&e.address)
                .unwrap_or_else(|| Outcome::NotApplied(why.to_owned()));
            (e.address.clone(), o)
        })
        .collect();
    Report {
        outcomes,
        interrupted,
        known_ids: known,
    }
}

fn execute(client: &Client, retry: &RetryPolicy, job: &Job, progress: &dyn Progress) -> Outcome {
    let result = match &job.id {
        None => create(client, retry, job, progress),
        Some(id) => update(client, retry, job, id, progress).map(|()| Outcome::Updated(id.clone())),
    };
    result.unwrap_or_else(|e| Outcome::Failed(e.to_string()))
}

fn notify_retry<'a>(
    progress: &'a dyn Progress,
    address: &'a str,
) -> impl Fn(&ApiError, Duration) + 'a {
    move |e: &ApiError, d: Duration| {
        progress.retry(address, &format!("{e}; retrying in {} ms", d.as_millis()));
    }
}

fn no_id(job: &Job, what: &str) -> ApiError {
    ApiError::Decode {
        method: what.to_owned(),
        path: job.kind.collection().to_owned(),
        message: format!(
            "the answer indicates the {} was not saved (no id)",
            job.kind.noun()
        ),
        request_id: String::new(),
    }
}

fn create(
    client: &Client,
    retry: &RetryPolicy,
    job: &Job,
    progress: &dyn Progress,
) -> Result<Outcome, ApiError> {
    let body =
        encode(job.kind, &job.address, &job.fields, None, &[]).map_err(|e| ApiError::Decode {
            method: "POST".to_owned(),
            path: job.kind.collection().to_owned(),
            message: e.to_string(),
            request_id: String::new(),
        })?;
    let notify = notify_retry(progress, &job.address);
    let mut attempt = 1;
    loop {
        let err = match client.post(job.kind.collection(), &body) {
            Ok(answer) => match decode(job.kind, &answer) {
                Ok(remote) => return Ok(Outcome::Created(remote)),
                Err(_) => no_id(job, "POST"),
            },
            Err(e) => e,
        };
        let conflict = matches!(err, ApiError::BadRequest { status: 409, .. });
        if conflict || err.effect_unknown() {
            // The entity may exist (our earlier answer was lost, or someone
            // created it): re-read by natural key before writing again.
            if !conflict {
                if attempt >= retry.attempts {
                    return Err(err);
                }
                let d = retry.delay(attempt, &err);
                notify(&err, d);
                std::thread::sleep(d);
                attempt += 1;
            }
            if let Some(remote) = find(client, retry, job.kind, &job.fields, &notify)? {
                if !diff(&job.fields, &remote.fields).is_empty() {
                    let update_job = Job {
                        address: job.address.clone(),
                        kind: job.kind,
                        id: Some(remote.id.clone()),
                        fields: job.fields.clone(),
                        clear: Vec::new(),
                    };
                    update(client, retry, &update_job, &remote.id, progress)?;
                }
                return Ok(Outcome::Created(remote));
            }
            if conflict {
                return Err(err);
            }
            continue;
        }
        if !err.is_retryable() || attempt >= retry.attempts {
            return Err(err);
        }
        let d = retry.delay(attempt, &err);
        notify(&err, d);
        std::thread::sleep(d);
        attempt += 1;
    }
}

fn update(
    client: &Client,
    retry: &RetryPolicy,
    job: &Job,
    id: &str,
    progress: &dyn Progress,
) -> Result<(), ApiError> {
    let body = encode(job.kind, &job.address, &job.fields, Some(id), &job.clear).map_err(|e| {
        ApiError::Decode {
            method: "PATCH".to_owned(),
            path: job.kind.item_path(id),
            message: e.to_string(),
            request_id: String::new(),
        }
    })?;
    let path = job.kind.item_path(id);
    let notify = notify_retry(progress, &job.address);
    let mut attempt = 1;
    loop {
        let err = match client.patch(&path, &body) {
            Ok(answer) => match decode(job.kind, &answer) {
                Ok(_) => return Ok(()),
                Err(_) => no_id(job, "PATCH"),
            },
            Err(e) => e,
        };
        if !(err.is_retryable() || err.effect_unknown()) || attempt >= retry.attempts {
            return Err(err);
        }
        let d = retry.delay(attempt, &err);
        notify(&err, d);
        std::thread::sleep(d);
        attempt += 1;
        if err.effect_unknown() {
            let current = retry.run(|| client.get(&path), &notify)?;
            if let Ok(remote) = decode(job.kind, &current) {
                let mut want = job.fields.clone();
                crate::api::entities::fill_defaults(job.kind.attrs(), &mut want);
                if fields_equal(&want, &remote.fields) || diff(&want, &remote.fields).is_empty() {
                    return Ok(());
                }
            }
        }
    }
}
