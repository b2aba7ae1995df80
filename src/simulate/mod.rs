//! `symflow test`: the `.symtest.hcl` model, the flow's configuration from
//! the module, the Python driver, result comparison and the reports.

pub mod compare;
pub mod driver;
pub mod embed;
pub mod flow;
pub mod model;
pub mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value as Json};

use crate::module::Module;
use crate::source::{SourceFile, SourceMap};
use report::{Status, TestResult};

/// How to run a suite.
#[derive(Debug, Clone)]
pub struct Options {
    /// Run only tests whose name contains this text.
    pub filter: Option<String>,
    /// Per-test timeout unless the run sets `timeout`.
    pub timeout: Duration,
    pub python: PathBuf,
}

/// Why a suite could not run at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    #[error("{file}:{line}:{column}: {message}")]
    TestFile {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot read {file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Driver(#[from] driver::DriverError),
}

/// `DIR/tests/*.symtest.hcl`, sorted, each with the path to show.
#[must_use]
pub fn discover(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let tests = dir.join("tests");
    let Ok(entries) = std::fs::read_dir(&tests) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".symtest.hcl"))
        })
        .map(|p| {
            let rel = Path::new("tests").join(p.file_name().unwrap_or_default());
            let shown = if dir == Path::new(".") {
                rel
            } else {
                dir.join(rel)
            };
            (p, shown)
        })
        .collect();
    out.sort();
    out
}

struct Pending {
    result: TestResult,
    expect: model::Expect,
    request: Option<Json>,
}

/// Parse the test files, check them against the module and run them.
///
/// # Errors
/// A test file that does not parse, or a Python interpreter that cannot run.
pub fn run_suite(
    module: &Module,
    sources: &mut SourceMap,
    files: &[(PathBuf, PathBuf)],
    opts: &Options,
) -> Result<Vec<TestResult>, SuiteError> {
    let mut parsed = Vec::new();
    for (path, shown) in files {
        let text = std::fs::read_to_string(path).map_err(|source| SuiteError::Read {
            file: shown.display().to_string(),
            source,
        })?;
        let id = sources.add(SourceFile::new(path.clone(), shown.clone(), text));
        let file = model::parse(sources, id).map_err(|e| {
            let lc = sources.get(id).line_col(e.span.start);
            SuiteError::TestFile {
                file: shown.display().to_string(),
                line: lc.line,
                column: lc.column,
                message: e.message,
            }
        })?;
        parsed.push(file);
    }
    let mut configs: BTreeMap<String, flow::FlowConfig> = BTreeMap::new();
    let mut impls: Vec<driver::ImplFile> = Vec::new();
    let mut pending = Vec::new();
    let all_flows = flow::flows(module);
    for file in &parsed {
        let shown = sources.get(file.file).display.display().to_string();
        for run in &file.runs {
            if opts
                .filter
                .as_deref()
                .is_some_and(|f| !run.name.contains(f))
            {
                continue;
            }
            let line = sources.get(file.file).line_col(run.span.start).line;
            let mut result = TestResult {
                name: run.name.clone(),
                file: shown.clone(),
                line,
                status: Status::Passed,
                message: None,
                warnings: Vec::new(),
            };
            let wanted = run
                .flow
                .as_ref()
                .or(file.flow.as_ref())
                .map(|s| s.value.clone());
            let entity = match &wanted {
                Some(name) => flow::find(module, name),
                None if all_flows.len() == 1 => all_flows.first().copied(),
                None => None,
            };
            let Some(entity) = entity else {
                let names: Vec<String> = all_flows.iter().map(|e| flow::display_name(e)).collect();
                let listed = if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                };
                result.status = Status::Failed;
                result.message = Some(match wanted {
                    Some(name) => {
                        let close = names
                            .iter()
                            .map(|n| (strsim::jaro_winkler(&name.to_lowercase(), &n.to_lowercase()), n))
                            .filter(|(s, _)| *s > 0.8)
                            .max_by(|a, b| a.0.total_cmp(&b.0))
                            .map(|(_, n)| format!("; did you mean `{n}`?"))
                            .unwrap_or_default();
                        format!("flow `{name}` does not exist in the module (sym_flow names: {listed}){close}")
                    }
                    None => format!("no `flow` is set and the module has {} flows ({listed}): add `flow = \"<name>\"`", names.len()),
                });
                pending.push(Pending {
                    result,
                    expect: run.expect.clone(),
                    request: None,
                });
                continue;
            };
            let cfg = configs
                .entry(entity.address.clone())
                .or_insert_with(|| flow::config(module, sources, entity));
            let impl_key = match &cfg.implementation {
                flow::Implementation::Code { display, text } => {
                    if !impls.iter().any(|i| i.key == cfg.address) {
                        impls.push(driver::ImplFile {
                            key: cfg.address.clone(),
                            filename: display.clone(),
                            source: text.clone(),
                        });
                    }
                    cfg.address.clone()
                }
                flow::Implementation::Missing(why) => {
                    result.status = Status::Failed;
                    result.message = Some(format!("cannot run {}: {why}", cfg.address));
                    pending.push(Pending {
                        result,
                        expect: run.expect.clone(),
                        request: None,
                    });
                    continue;
                }
            };
            let given: Vec<(String, Json)> = run
                .fields
                .iter()
                .map(|(k, v, _)| (k.clone(), v.clone()))
                .collect();
            let fields = match flow::check_fields(cfg, &given, run.event != "prompt") {
                Ok(f) => f,
                Err(problems) => {
                    result.status = Status::Failed;
                    result.message = Some(problems.join("\n"));
                    pending.push(Pending {
                        result,
                        expect: run.expect.clone(),
                        request: None,
                    });
                    continue;
                }
            };
            let mut vars = cfg.vars.clone();
            vars.extend(run.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
            let mocks: Vec<Json> = run
                .mocks
                .iter()
                .map(|m| {
                    let mut o = json!({"target": m.target});
                    if let Some(w) = &m.when {
                        o["when"] = Json::Object(w.clone());
                    }
                    if let Some(r) = &m.returns {
                        o["returns"] = r.clone();
                    }
                    if let Some(r) = &m.raises {
                        o["raises"] =
                            json!({"class": r.class, "message": r.message, "args": r.args});
                    }
                    o
                })
                .collect();
            let timeout = run.timeout.unwrap_or(opts.timeout);
            let request = json!({
                "type": "test",
                "id": pending.len(),
                "impl": impl_key,
                "timeout": timeout.as_secs_f64(),
                "org": module.provider.as_ref().and_then(|p| p.org.as_ref()).and_then(|a| a.value.as_str()),
                "flow": cfg.to_json(),
                "event": run.event,
                "user": run.user,
                "actor": run.actor,
                "fields": fields,
                "vars": vars,
                "target": run.target,
                "context": run.context,
                "mocks": mocks,
            });
            pending.push(Pending {
                result,
                expect: run.expect.clone(),
                request: Some(request),
            });
        }
    }
    let requests: Vec<Json> = pending.iter().filter_map(|p| p.request.clone()).collect();
    let timeouts: BTreeMap<u64, f64> = requests
        .iter()
        .filter_map(|r| Some((r["id"].as_u64()?, r["timeout"].as_f64()?)))
        .collect();
    let answers = if requests.is_empty() {
        Vec::new()
    } else {
        let cwd = module.dir.clone();
        driver::run(
            &opts.python,
            if cwd.as_os_str().is_empty() {
                Path::new(".")
            } else {
                &cwd
            },
            &impls,
            &requests,
        )?
    };
    let mut by_id: BTreeMap<u64, Json> = BTreeMap::new();
    for a in answers {
        if let Some(id) = a.get("id").and_then(Json::as_u64) {
            by_id.insert(id, a);
        }
    }
    let mut out = Vec::with_capacity(pending.len());
    for (i, mut p) in pending.into_iter().enumerate() {
        if p.request.is_some() {
            let id = i as u64;
            let answer = by_id.remove(&id).unwrap_or(Json::Null);
            finish(
                &mut p.result,
                &p.expect,
                &answer,
                timeouts.get(&id).copied().unwrap_or(0.0),
            );
        }
        out.push(p.result);
    }
    Ok(out)
}

fn finish(result: &mut TestResult, expect: &model::Expect, answer: &Json, timeout: f64) {
    if let Some(Json::Array(w)) = answer.get("warnings") {
        result.warnings = w
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect();
    }
    if let Some(Json::Array(unused)) = answer.get("unused_mocks") {
        for u in unused.iter().filter_map(Json::as_str) {
            result
                .warnings
                .push(format!("mock `{u}` never matched a call"));
        }
    }
    let status = answer
        .get("status")
        .and_then(Json::as_str)
        .unwrap_or("error");
    let lines = if status == "timeout" {
        vec![format!(
            "timed out after {}: the flow did not finish (an endless loop?)",
            show_secs(timeout)
        )]
    } else if answer.is_null() {
        vec!["the Python runner returned no result for this test".to_owned()]
    } else {
        compare::compare(expect, answer)
    };
    if !lines.is_empty() {
        result.status = Status::Failed;
        let mut text = lines.join("\n");
        if let Some(out) = answer
            .get("stdout")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
        {
            text.push_str("\nprinted by the flow:\n");
            for l in out.lines() {
                text.push_str("  ");
                text.push_str(l);
                text.push('\n');
            }
            text.truncate(text.trim_end().len());
        }
        result.message = Some(text);
    }
}

fn show_secs(s: f64) -> String {
    if s < 1.0 {
        format!("{}ms", (s * 1000.0).round())
    } else if s.fract() == 0.0 {
        format!("{s:.0}s")
    } else {
        format!("{s}s")
    }
}
