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
                // An entity that exists and does not change needs nothing.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::entities::{decode, fill_defaults};
    use crate::deploy::render;
    use crate::output::Styles;
    use serde_json::json;

    fn desired(address: &str, kind: Kind, fields: Vec<(&str, Field)>, deps: &[&str]) -> Desired {
        let mut f: Fields = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        fill_defaults(kind.attrs(), &mut f);
        Desired {
            address: address.to_owned(),
            kind,
            data: false,
            fields: f,
            depends_on: deps.iter().map(|s| (*s).to_owned()).collect(),
            location: None,
        }
    }

    #[allow(clippy::needless_pass_by_value)]
    fn remote(kind: Kind, body: serde_json::Value) -> Remote {
        decode(kind, &body).expect("valid remote entity")
    }

    fn s(v: &str) -> Field {
        Field::Str(v.to_owned())
    }

    fn name(v: &str) -> Field {
        Field::Name(v.to_owned())
    }

    fn map(pairs: &[(&str, &str)]) -> Field {
        Field::Map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn text(plan: &Plan) -> String {
        render::human(plan, Styles { enabled: false })
    }

    const IMPL: &str = "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_approvers(event):\n    return None\n";

    #[test]
    fn provider_normalisations_are_not_changes() {
        let d = vec![
            desired(
                "sym_integration.ctx",
                Kind::Integration,
                vec![
                    ("type", s("permission_context")),
                    ("name", name("Runtime-Context")),
                    ("external_id", s("123")),
                    ("settings", map(&[("region", "us-east-1")])),
                ],
                &[],
            ),
            desired(
                "sym_flow.f",
                Kind::Flow,
                vec![
                    ("name", name("Access")),
                    ("implementation", Field::Text(IMPL.to_owned())),
                    ("environment_id", s("env-1")),
                    ("vars", map(&[("n", "1"), ("on", "true")])),
                ],
                &[],
            ),
        ];
        let r = RemoteState {
            entities: vec![
                remote(
                    Kind::Integration,
                    json!({"id": "i-1", "type": "permission_context", "slug": "runtime-context",
                           "external_id": "123", "label": null,
                           "settings": {"region": "us-east-1", "cloud": null, "role_arn": null}}),
                ),
                remote(
                    Kind::Flow,
                    json!({"id": "f-1", "slug": "access", "environment_id": "env-1",
                           "implementation": "ZnJvbSBzeW0uc2RrLmFubm90YXRpb25zIGltcG9ydCByZWR1Y2VyCgpAcmVkdWNlcgpkZWYgZ2V0X2FwcHJvdmVycyhldmVudCk6CiAgICByZXR1cm4gTm9uZQo=",
                           "vars": {"n": 1, "on": true, "gone": null},
                           "params": {"allowed_sources": null, "prompt_fields": null}}),
                ),
            ],
            hints: BTreeMap::new(),
        };
        let p = plan(&d, &r);
        assert!(
            p.entries.iter().all(|e| e.action == Action::Unchanged),
            "{}",
            text(&p)
        );
        assert_eq!(p.known_ids().len(), 2);
    }

    #[test]
    fn mixed_plan() {
        let d = vec![
            desired(
                "sym_integration.slack",
                Kind::Integration,
                vec![
                    ("type", s("slack")),
                    ("name", name("slack")),
                    ("external_id", s("T1")),
                ],
                &[],
            ),
            desired(
                "sym_environment.prod",
                Kind::Environment,
                vec![
                    ("name", name("prod")),
                    (
                        "integrations",
                        Field::Pending("sym_integration.slack".into()),
                    ),
                ],
                &["sym_integration.slack"],
            ),
            desired(
                "sym_flow.access",
                Kind::Flow,
                vec![
                    ("name", name("access")),
                    ("label", s("Access")),
                    ("implementation", Field::Text(IMPL.replace("None", "[]"))),
                    ("environment_id", s("env-1")),
                    ("params.allow_revoke", Field::Bool(false)),
                    ("params.allowed_sources", Field::List(vec!["api".into()])),
                ],
                &[],
            ),
            desired(
                "sym_runtime.aws",
                Kind::Runtime,
                vec![
                    ("name", name("aws")),
                    (
                        "context_id",
                        Field::Blocked(Blocker {
                            what: "`aws_iam_role.sym`, a value from outside Sym".into(),
                            hint: "pass it in a variable".into(),
                        }),
                    ),
                ],
                &[],
            ),
            desired(
                "sym_environment.staging",
                Kind::Environment,
                vec![
                    ("name", name("staging")),
                    ("runtime_id", Field::Pending("sym_runtime.aws".into())),
                ],
                &["sym_runtime.aws"],
            ),
            desired(
                "sym_flow.same",
                Kind::Flow,
                vec![
                    ("name", name("same")),
                    ("implementation", Field::Text("x".into())),
                    ("environment_id", s("env-1")),
                ],
                &[],
            ),
        ];
        let r = RemoteState {
            entities: vec![
                remote(
                    Kind::Flow,
                    json!({"id": "f-1", "slug": "access", "label": "Old label", "environment_id": "env-1",
                           "implementation": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, IMPL),
                           "vars": {}, "params": {"allow_revoke": true}}),
                ),
                remote(
                    Kind::Flow,
                    json!({"id": "f-2", "slug": "same", "environment_id": "env-1",
                           "implementation": "eA==", "vars": {}, "params": {}}),
                ),
            ],
            hints: BTreeMap::new(),
        };
        let p = plan(&d, &r);
        insta::assert_snapshot!(text(&p));
        assert_eq!(
            p.summary(),
            Summary {
                create: 2,
                update: 1,
                unchanged: 1,
                cannot_deploy: 2
            }
        );
        let json = render::plan_json(&p);
        assert_eq!(json["summary"]["cannot_deploy"], 2);
    }

    #[test]
    fn nameless_entities_match_by_content_then_referrer() {
        let logger = |dest: &str| {
            desired(
                "sym_error_logger.e",
                Kind::ErrorLogger,
                vec![("integration_id", s("i-1")), ("destination", s(dest))],
                &[],
            )
        };
        let remote_loggers = vec![
            remote(
                Kind::ErrorLogger,
                json!({"id": "l-1", "slug": "errors", "integration_id": "i-1", "destination": "#errors"}),
            ),
            remote(
                Kind::ErrorLogger,
                json!({"id": "l-2", "slug": "other", "integration_id": "i-1", "destination": "#other"}),
            ),
        ];
        // Same content: unchanged, whatever the slug.
        let r = RemoteState {
            entities: remote_loggers.clone(),
            hints: BTreeMap::new(),
        };
        let p = plan(&[logger("#other")], &r);
        assert_eq!(p.entries[0].action, Action::Unchanged);
        assert_eq!(p.entries[0].id.as_deref(), Some("l-2"));
        // New content, no referrer: create (never guess by slug).
        let p = plan(&[logger("#new")], &r);
        assert_eq!(p.entries[0].action, Action::Create);
        // New content, the environment points at l-1: update l-1.
        let r = RemoteState {
            entities: remote_loggers,
            hints: [("sym_error_logger.e".to_owned(), "l-1".to_owned())].into(),
        };
        let p = plan(&[logger("#new")], &r);
        assert_eq!(p.entries[0].action, Action::Update);
        assert_eq!(p.entries[0].id.as_deref(), Some("l-1"));
        assert_eq!(p.entries[0].changes.len(), 1);
    }

    #[test]
    fn typed_names_need_the_same_type() {
        let d = vec![desired(
            "sym_integration.pd",
            Kind::Integration,
            vec![
                ("type", s("pagerduty")),
                ("name", name("pd")),
                ("external_id", s("x")),
            ],
            &[],
        )];
        let r = RemoteState {
            entities: vec![remote(
                Kind::Integration,
                json!({"id": "i-9", "type": "okta", "slug": "pd", "external_id": "x", "settings": {}}),
            )],
            hints: BTreeMap::new(),
        };
        assert_eq!(plan(&d, &r).entries[0].action, Action::Create);
    }

    #[test]
    fn clearing_an_omitted_field_is_sent_explicitly() {
        let d = vec![desired(
            "sym_environment.p",
            Kind::Environment,
            vec![("name", name("p"))],
            &[],
        )];
        let r = RemoteState {
            entities: vec![remote(
                Kind::Environment,
                json!({"id": "e-1", "slug": "p", "label": "Old", "integrations": {}}),
            )],
            hints: BTreeMap::new(),
        };
        let p = plan(&d, &r);
        assert_eq!(p.entries[0].action, Action::Update);
        assert_eq!(p.entries[0].clear, vec!["label".to_owned()]);
    }
}
