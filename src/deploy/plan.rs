//! `plan(desired, remote) -> Plan`: a pure function. Remote entities are
//! matched by natural key (name and type, ignoring case) or, for nameless
//! ones, by content; then compared field by field with the provider's
//! normalisations already applied on both sides.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::desired::Desired;
use crate::api::entities::{
    default_of, same_identity, Blocker, Field, Fields, IdentityRule, Kind, Remote, Send,
};

/// What was read from the API.
#[derive(Debug, Clone, Default)]
pub struct RemoteState {
    /// Every entity read (lookups, listed collections, the flows filter).
    pub entities: Vec<Remote>,
    /// Nameless entities found through a remote entity that references
    /// them: desired address -> remote id.
    pub hints: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    /// A data source: read only.
    Read,
    CannotDeploy,
}

impl Action {
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Unchanged | Action::Read => "=",
            Action::CannotDeploy => "!",
        }
    }
}

/// One changed attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub key: String,
    pub before: Option<Field>,
    pub after: Option<Field>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub address: String,
    pub kind: Kind,
    pub action: Action,
    /// The remote id, when the entity exists.
    pub id: Option<String>,
    pub changes: Vec<Change>,
    pub blockers: Vec<(String, Blocker)>,
    pub depends_on: Vec<String>,
    pub location: Option<String>,
    pub remote: Option<Remote>,
    /// Attributes to send empty on update (they are omitted when empty).
    pub clear: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In dependency order (an entity after everything it depends on).
    pub entries: Vec<Entry>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub cannot_deploy: usize,
}

impl Plan {
    #[must_use]
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for e in &self.entries {
            match e.action {
                Action::Create => s.create += 1,
                Action::Update => s.update += 1,
                Action::Unchanged | Action::Read => s.unchanged += 1,
                Action::CannotDeploy => s.cannot_deploy += 1,
            }
        }
        s
    }

    #[must_use]
    pub fn has_changes(&self) -> bool {
        let s = self.summary();
        s.create + s.update > 0
    }

    #[must_use]
    pub fn entry(&self, address: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.address == address)
    }

    /// Ids of entities that exist already (address -> id).
    #[must_use]
    pub fn known_ids(&self) -> BTreeMap<String, String> {
        self.entries
            .iter()
            .filter_map(|e| e.id.clone().map(|id| (e.address.clone(), id)))
            .collect()
    }
}

/// Compare the desired state with what the API holds.
#[must_use]
pub fn plan(desired: &[Desired], remote: &RemoteState) -> Plan {
    let mut taken: BTreeSet<(Kind, String)> = BTreeSet::new();
    let mut entries: Vec<Entry> = Vec::new();
    for d in desired {
        let found = find_match(d, remote, &taken);
        if let Some(r) = found {
            taken.insert((r.kind, r.id.clone()));
        }
        entries.push(entry_for(d, found));
    }
    propagate_blocked(&mut entries);
    order(&mut entries);
    Plan { entries }
}

fn identity_known(d: &Desired) -> bool {
    let keys: &[&str] = match d.kind.identity() {
        IdentityRule::Slug => &["name"],
        IdentityRule::SlugAndType => &["name", "type"],
        IdentityRule::Content(keys) => keys,
        IdentityRule::Singleton => &[],
    };
    keys.iter()
        .all(|k| d.fields.get(*k).is_none_or(Field::is_known))
}

fn find_match<'a>(
    d: &Desired,
    remote: &'a RemoteState,
    taken: &BTreeSet<(Kind, String)>,
) -> Option<&'a Remote> {
    if !identity_known(d) {
        return None;
    }
    let candidates = || {
        remote
            .entities
            .iter()
            .filter(|r| r.kind == d.kind && !taken.contains(&(r.kind, r.id.clone())))
    };
    candidates()
        .find(|r| same_identity(d.kind, &d.fields, &r.fields))
        .or_else(|| {
            let id = remote.hints.get(&d.address)?;
            candidates().find(|r| &r.id == id)
        })
}

fn entry_for(d: &Desired, found: Option<&Remote>) -> Entry {
    let blockers = d.blockers();
    let mut entry = Entry {
        address: d.address.clone(),
        kind: d.kind,
        action: Action::Create,
        id: found.map(|r| r.id.clone()),
        changes: Vec::new(),
        blockers: Vec::new(),
        depends_on: d.depends_on.clone(),
        location: d.location.clone(),
        remote: found.cloned(),
        clear: Vec::new(),
    };
    if d.data {
        if found.is_some() {
            entry.action = Action::Read;
        } else {
            entry.action = Action::CannotDeploy;
            let what = match (
                d.fields.get("name").and_then(Field::as_str),
                d.fields.get("type").and_then(Field::as_str),
            ) {
                (Some(n), Some(t)) => format!(
                    "no {} named `{n}` of type `{t}` exists in Sym",
                    d.kind.noun()
                ),
                (Some(n), None) => format!("no {} named `{n}` exists in Sym", d.kind.noun()),
                _ => format!("the lookup keys of this {} are not known", d.kind.noun()),
            };
            entry.blockers.push((
                "name".to_owned(),
                Blocker {
                    what,
                    hint: "create it first (or fix its name and type), then deploy again"
                        .to_owned(),
                },
            ));
        }
        return entry;
    }
    if !blockers.is_empty() {
        entry.action = Action::CannotDeploy;
        entry.blockers = blockers;
        return entry;
    }
    match found {
        None => {
            entry.changes = creation_changes(d);
        }
        Some(r) => {
            entry.changes = diff(&d.fields, &r.fields);
            entry.action = if entry.changes.is_empty() {
                Action::Unchanged
            } else {
                Action::Update
            };
            entry.clear = entry
                .changes
                .iter()
                .filter(|c| {
                    c.after.as_ref().is_some_and(Field::is_empty)
                        && d.kind
                            .attrs()
                            .iter()
                            .any(|a| a.key == c.key && a.send == Send::OmitEmpty)
                })
                .map(|c| c.key.clone())
                .collect();
        }
    }
    entry
}

/// The attributes shown for a new entity: those that differ from the
/// provider's defaults.
fn creation_changes(d: &Desired) -> Vec<Change> {
    d.kind
        .attrs()
        .iter()
        .filter_map(|attr| {
            let v = d.fields.get(attr.key)?;
            if default_of(attr).is_some_and(|def| def.same_as(v)) {
                return None;
            }
            Some(Change {
                key: attr.key.to_owned(),
                before: None,
                after: Some(v.clone()),
            })
        })
        .collect()
}

/// Field-level differences (desired vs remote), in key order.
#[must_use]
pub fn diff(desired: &Fields, remote: &Fields) -> Vec<Change> {
    let keys: BTreeSet<&String> = desired.keys().chain(remote.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let d = desired.get(k);
            let r = remote.get(k);
            let same = match (d, r) {
                (Some(a), Some(b)) => a.same_as(b),
                (None, None) => true,
                // An unset attribute the API still reports (allowed_sources).
                _ => false,
            };
            (!same).then(|| Change {
                key: k.clone(),
                before: r.cloned(),
                after: d.cloned(),
            })
        })
        .collect()
}

/// An entity that needs the id of one that cannot be deployed cannot be
/// deployed either.
fn propagate_blocked(entries: &mut [Entry]) {
    loop {
        let blocked: BTreeSet<String> = entries
            .iter()
            .filter(|e| e.action == Action::CannotDeploy)
            .map(|e| e.address.clone())
            .collect();
        let mut changed = false;
        for e in entries.iter_mut() {
            if e.action == Action::CannotDeploy {
                continue;
            }
            let dep = e.depends_on.iter().find(|d| blocked.contains(*d)).cloned();
            if let Some(dep) = dep {
                // Only when its id is actually needed: it is, unless the
                // entity already exists and nothing changes... a blocked
                // dependency's id is unknown either way.
                if e.action == Action::Unchanged || e.action == Action::Read {
                    continue;
                }
                e.action = Action::CannotDeploy;
                e.blockers = vec![(
                    String::new(),
                    Blocker {
                        what: format!("`{dep}`, which cannot be deployed"),
                        hint: format!("fix what blocks `{dep}` first"),
                    },
                )];
                e.changes.clear();
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Dependency depth first, then declaration order (stable).
fn order(entries: &mut Vec<Entry>) {
    let index: BTreeMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.address.clone(), i))
        .collect();
    let mut depth: Vec<Option<usize>> = vec![None; entries.len()];
    fn depth_of(
        i: usize,
        entries: &[Entry],
        index: &BTreeMap<String, usize>,
        depth: &mut Vec<Option<usize>>,
        visiting: &mut BTreeSet<usize>,
    ) -> usize {
        if let Some(d) = depth[i] {
            return d;
        }
        if !visiting.insert(i) {
            return 0; // a cycle: validate reports it
        }
        let d = entries[i]
            .depends_on
            .iter()
            .filter_map(|a| index.get(a))
            .map(|&j| depth_of(j, entries, index, depth, visiting) + 1)
            .max()
            .unwrap_or(0);
        visiting.remove(&i);
        depth[i] = Some(d);
        d
    }
    let mut visiting = BTreeSet::new();
    for i in 0..entries.len() {
        depth_of(i, entries, &index, &mut depth, &mut visiting);
    }
    let mut keyed: Vec<(usize, usize, Entry)> = entries
        .drain(..)
        .enumerate()
        .map(|(i, e)| (depth[i].unwrap_or(0), i, e))
        .collect();
    keyed.sort_by_key(|(d, i, _)| (*d, *i));
    entries.extend(keyed.into_iter().map(|(_, _, e)| e));
}
