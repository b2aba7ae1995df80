//! SARIF 2.1.0 for code scanning: one run, the tool with every rule of the
//! registry (id = code, name, short and full description from the rule's
//! docs, default level), one result per finding with its rule index.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::{locate, Emitter, Report};
use crate::diag::Severity;
use crate::lint::registry;

pub struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI: &str = "https://github.com/symflow/symflow";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative path as a URI reference (RFC 3986): unreserved characters
/// and `/` kept, everything else percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

impl Emitter for Sarif {
    fn emit(&self, report: &Report<'_>, w: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<Value> = registry::RULES
            .iter()
            .map(|r| {
                let i = r.info();
                json!({
                    "id": i.code,
                    "name": i.name,
                    "shortDescription": { "text": i.summary() },
                    "fullDescription": { "text": i.docs() },
                    "help": { "text": i.docs() },
                    "defaultConfiguration": { "level": level(i.default_severity) },
                    "properties": { "tags": [i.category.as_str()] },
                })
            })
            .collect();
        let results: Vec<Value> = report
            .diagnostics
            .iter()
            .map(|d| {
                let mut text = d.message.clone();
                if let Some(h) = &d.help {
                    text.push_str("\nhelp: ");
                    text.push_str(h);
                }
                let mut result = json!({
                    "ruleId": d.code,
                    "level": level(d.severity),
                    "message": { "text": text },
                });
                if let Some(index) = registry::RULES.iter().position(|r| r.info().code == d.code) {
                    result["ruleIndex"] = json!(index);
                }
                if let Some(loc) = locate(d, report.sources) {
                    let mut physical = json!({ "artifactLocation": { "uri": uri(&loc.file) } });
                    if let Some(r) = loc.range {
                        physical["region"] = json!({
                            "startLine": r.line,
                            "startColumn": r.column,
                            "endLine": r.end_line,
                            "endColumn": r.end_column,
                        });
                    }
                    result["locations"] = json!([{ "physicalLocation": physical }]);
                }
                let related: Vec<Value> = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let f = report.sources.get(l.span.file);
                        let start = f.line_col(l.span.start);
                        let end = f.line_col(l.span.end);
                        json!({
                            "id": i,
                            "message": { "text": l.message },
                            "physicalLocation": {
                                "artifactLocation": { "uri": uri(&super::display_path(&f.display)) },
                                "region": {
                                    "startLine": start.line,
                                    "startColumn": start.column,
                                    "endLine": end.line,
                                    "endColumn": end.column,
                                },
                            },
                        })
                    })
                    .collect();
                if !related.is_empty() {
                    result["relatedLocations"] = Value::Array(related);
                }
                result
            })
            .collect();
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "symflow",
                        "version": env!("CARGO_PKG_VERSION"),
                        "informationUri": INFO_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        serde_json::to_writer_pretty(&mut *w, &log)?;
        writeln!(w)
    }
}

#[cfg(test)]
mod tests {
    //! A structural check against the SARIF 2.1.0 schema: for every object
    //! kind we emit, the schema's required properties, the properties it
    //! allows (every SARIF object has `additionalProperties: false`), and
    //! the constraints on values (enums, minimums, URI references).
    use super::*;
    use crate::report::fixtures;
    use serde_json::Map;

    struct Kind {
        name: &'static str,
        required: &'static [&'static str],
        allowed: &'static [&'static str],
    }

    const KINDS: &[Kind] = &[
        Kind {
            name: "sarifLog",
            required: &["version", "runs"],
            allowed: &[
                "$schema",
                "version",
                "runs",
                "inlineExternalProperties",
                "properties",
            ],
        },
        Kind {
            name: "run",
            required: &["tool"],
            allowed: &[
                "tool",
                "invocations",
                "conversion",
                "language",
                "versionControlProvenance",
                "originalUriBaseIds",
                "artifacts",
                "logicalLocations",
                "graphs",
                "results",
                "automationDetails",
                "runAggregates",
                "baselineGuid",
                "redactionTokens",
                "defaultEncoding",
                "defaultSourceLanguage",
                "newlineSequences",
                "columnKind",
                "externalPropertyFileReferences",
                "threadFlowLocations",
                "taxonomies",
                "addresses",
                "translations",
                "policies",
                "webRequests",
                "webResponses",
                "specialLocations",
                "properties",
            ],
        },
        Kind {
            name: "tool",
            required: &["driver"],
            allowed: &["driver", "extensions", "properties"],
        },
        Kind {
            name: "toolComponent",
            required: &["name"],
            allowed: &[
                "guid",
                "name",
                "organization",
                "product",
                "productSuite",
                "shortDescription",
                "fullDescription",
                "fullName",
                "version",
                "semanticVersion",
                "dottedQuadFileVersion",
                "releaseDateUtc",
                "downloadUri",
                "informationUri",
                "globalMessageStrings",
                "notifications",
                "rules",
                "taxa",
                "locations",
                "language",
                "contents",
                "isComprehensive",
                "localizedDataSemanticVersion",
                "minimumRequiredLocalizedDataSemanticVersion",
                "associatedComponent",
                "translationMetadata",
                "supportedTaxonomies",
                "properties",
            ],
        },
        Kind {
            name: "reportingDescriptor",
            required: &["id"],
            allowed: &[
                "id",
                "deprecatedIds",
                "guid",
                "deprecatedGuids",
                "name",
                "deprecatedNames",
                "shortDescription",
                "fullDescription",
                "messageStrings",
                "defaultConfiguration",
                "helpUri",
                "help",
                "relationships",
                "properties",
            ],
        },
        Kind {
            name: "multiformatMessageString",
            required: &["text"],
            allowed: &["text", "markdown", "properties"],
        },
        Kind {
            name: "reportingConfiguration",
            required: &[],
            allowed: &["enabled", "level", "rank", "parameters", "properties"],
        },
        Kind {
            name: "result",
            required: &["message"],
            allowed: &[
                "ruleId",
                "ruleIndex",
                "rule",
                "kind",
                "level",
                "message",
                "analysisTarget",
                "locations",
                "guid",
                "correlationGuid",
                "occurrenceCount",
                "partialFingerprints",
                "fingerprints",
                "stacks",
                "codeFlows",
                "graphs",
                "graphTraversals",
                "relatedLocations",
                "suppressions",
                "baselineState",
                "rank",
                "attachments",
                "hostedViewerUri",
                "workItemUris",
                "provenance",
                "fixes",
                "taxa",
                "webRequest",
                "webResponse",
                "properties",
            ],
        },
        Kind {
            name: "message",
            required: &[],
            allowed: &["text", "markdown", "id", "arguments", "properties"],
        },
        Kind {
            name: "location",
            required: &[],
            allowed: &[
                "id",
                "physicalLocation",
                "logicalLocations",
                "message",
                "annotations",
                "relationships",
                "properties",
            ],
        },
        Kind {
            name: "physicalLocation",
            required: &[],
            allowed: &[
                "address",
                "artifactLocation",
                "region",
                "contextRegion",
                "properties",
            ],
        },
        Kind {
            name: "artifactLocation",
            required: &[],
            allowed: &["uri", "uriBaseId", "index", "description", "properties"],
        },
        Kind {
            name: "region",
            required: &[],
            allowed: &[
                "startLine",
                "startColumn",
                "endLine",
                "endColumn",
                "charOffset",
                "charLength",
                "byteOffset",
                "byteLength",
                "snippet",
                "message",
                "sourceLanguage",
                "properties",
            ],
        },
    ];

    fn obj<'a>(v: &'a Value, kind: &str) -> &'a Map<String, Value> {
        let o = v
            .as_object()
            .unwrap_or_else(|| panic!("{kind} must be an object: {v}"));
        let k = KINDS.iter().find(|k| k.name == kind).expect("kind known");
        for r in k.required {
            assert!(o.contains_key(*r), "{kind} lacks required `{r}`");
        }
        for key in o.keys() {
            assert!(
                k.allowed.contains(&key.as_str()),
                "{kind} has a property the schema forbids: `{key}`"
            );
        }
        if let Some(p) = o.get("properties") {
            let p = p.as_object().expect("propertyBag is an object");
            if let Some(tags) = p.get("tags") {
                let tags = tags.as_array().expect("tags is an array");
                assert!(tags.iter().all(Value::is_string), "tags are strings");
            }
        }
        o
    }

    fn message(v: &Value, kind: &str) {
        let o = obj(v, kind);
        assert!(
            o.contains_key("text") || o.contains_key("id"),
            "{kind} needs text or id"
        );
        if let Some(t) = o.get("text") {
            assert!(t.is_string());
        }
    }

    fn level(v: &Value) {
        let l = v.as_str().expect("level is a string");
        assert!(
            ["none", "note", "warning", "error"].contains(&l),
            "bad level {l}"
        );
    }

    fn uri_reference(s: &str) {
        assert!(
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic()),
            "not a URI reference: {s:?}"
        );
        assert!(
            !s.contains(' ') && !s.contains('\\'),
            "not a URI reference: {s:?}"
        );
    }

    fn physical(v: &Value) {
        let p = obj(v, "physicalLocation");
        assert!(p.contains_key("artifactLocation") || p.contains_key("address"));
        let a = obj(&p["artifactLocation"], "artifactLocation");
        uri_reference(a["uri"].as_str().expect("uri is a string"));
        if let Some(r) = p.get("region") {
            let r = obj(r, "region");
            for k in ["startLine", "startColumn", "endLine", "endColumn"] {
                if let Some(n) = r.get(k) {
                    assert!(
                        n.as_u64().is_some_and(|n| n >= 1),
                        "{k} must be an integer >= 1"
                    );
                }
            }
        }
    }

    fn validate(log: &Value) {
        let root = obj(log, "sarifLog");
        assert_eq!(root["version"], "2.1.0");
        for run in root["runs"].as_array().expect("runs is an array") {
            let run = obj(run, "run");
            let tool = obj(&run["tool"], "tool");
            let driver = obj(&tool["driver"], "toolComponent");
            assert!(driver["name"].is_string());
            let rules = driver["rules"].as_array().expect("rules array");
            for r in rules {
                let r = obj(r, "reportingDescriptor");
                assert!(r["id"].is_string());
                for k in ["shortDescription", "fullDescription", "help"] {
                    obj(&r[k], "multiformatMessageString");
                }
                let c = obj(&r["defaultConfiguration"], "reportingConfiguration");
                level(&c["level"]);
            }
            if let Some(ck) = run.get("columnKind") {
                assert!(
                    ["utf16CodeUnits", "unicodeCodePoints"].contains(&ck.as_str().expect("string"))
                );
            }
            for res in run["results"].as_array().expect("results array") {
                let res = obj(res, "result");
                message(&res["message"], "message");
                level(&res["level"]);
                if let Some(i) = res.get("ruleIndex") {
                    let i = i.as_u64().expect("ruleIndex is a non-negative integer") as usize;
                    assert_eq!(rules[i]["id"], res["ruleId"], "ruleIndex points at ruleId");
                }
                for loc in res
                    .get("locations")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let loc = obj(loc, "location");
                    physical(&loc["physicalLocation"]);
                }
                for loc in res
                    .get("relatedLocations")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let l = obj(loc, "location");
                    assert!(l["id"].as_i64().is_some_and(|i| i >= -1));
                    message(&l["message"], "message");
                    physical(&l["physicalLocation"]);
                }
            }
        }
    }

    fn render() -> String {
        let (sm, diags) = fixtures::set();
        let mut out = Vec::new();
        Sarif
            .emit(
                &Report {
                    diagnostics: &diags,
                    sources: &sm,
                    files: 2,
                },
                &mut out,
            )
            .expect("write");
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn output_conforms_to_the_sarif_schema() {
        let v: Value = serde_json::from_str(&render()).expect("json");
        validate(&v);
        let rules = v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules");
        assert_eq!(
            rules.len(),
            registry::RULES.len(),
            "every rule is registered"
        );
        assert_eq!(v["runs"][0]["results"].as_array().map(Vec::len), Some(4));
    }

    #[test]
    fn the_checker_rejects_broken_logs() {
        let mut v: Value = serde_json::from_str(&render()).expect("json");
        v["runs"][0]["results"][0]["bogus"] = json!(1);
        assert!(std::panic::catch_unwind(|| validate(&v)).is_err());
        let mut v: Value = serde_json::from_str(&render()).expect("json");
        v["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(std::panic::catch_unwind(|| validate(&v)).is_err());
    }

    #[test]
    fn results_snapshot() {
        let v: Value = serde_json::from_str(&render()).expect("json");
        let mut run = v["runs"][0].clone();
        run["tool"]["driver"]["rules"] = json!("<registry>");
        run["tool"]["driver"]["version"] = json!("[VERSION]");
        insta::assert_snapshot!(serde_json::to_string_pretty(&run).expect("json"));
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("mod/bad file.tf"), "mod/bad%20file.tf");
    }
}
