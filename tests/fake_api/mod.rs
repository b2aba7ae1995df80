//! A fake Sym API: a real HTTP/1.1 server on 127.0.0.1, stateful and
//! faithful to reference/sym-provider.md §4: collections under
//! `/api/v1/entities/...`, lookups answered with lists, a GET without a
//! query answers the whole collection, 409 on a duplicate slug, slugs stored
//! lower-case, server-derived slugs for nameless entities, top-level keys
//! (so `params` wholesale) replaced on PATCH, 400 bodies with `errors[]`
//! for missing fields and references to ids that do not exist, bearer auth,
//! and the flows-filter singleton.
//!
//! Fault injection (seeded): latency per request, a rate of 503/429 answers
//! (given before anything is applied), and a rate of writes that are applied
//! and then answered by dropping the connection.

#![allow(
    dead_code,
    clippy::missing_panics_doc,
    clippy::unwrap_used,
    clippy::needless_pass_by_value,
    clippy::if_not_else
)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};

/// Fault injection settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// Sleep this long before answering each request.
    pub latency: Duration,
    /// Share of requests answered 503 or 429 (nothing applied).
    pub error_rate: f64,
    /// Share of POST/PATCH requests applied, then answered by dropping the
    /// connection.
    pub drop_rate: f64,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    /// Path without the `/api/v1` prefix, with the raw query.
    pub path: String,
    /// Status sent; 0 when the connection was dropped.
    pub status: u16,
    /// True when a write was applied.
    pub applied: bool,
    pub request_id: String,
    pub user_agent: String,
    pub started: Instant,
    pub finished: Instant,
    /// For applied writes: the collection and the id written.
    pub entity: Option<(String, String)>,
}

#[derive(Default)]
struct State {
    collections: BTreeMap<String, Vec<Json>>,
    flows_filter: Option<Json>,
    log: Vec<Logged>,
    next_id: u64,
    rng: u64,
    faults: Faults,
}

impl State {
    fn random(&mut self) -> f64 {
        // xorshift64*
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub struct FakeApi {
    addr: std::net::SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    pub token: String,
}

const COLLECTIONS: &[&str] = &[
    "flows",
    "environments",
    "integrations",
    "runtimes",
    "secret-sources",
    "secrets",
    "access-targets",
    "access-strategies",
    "error-loggers",
    "log-destinations",
];

fn typed(collection: &str) -> bool {
    matches!(
        collection,
        "integrations"
            | "secret-sources"
            | "access-targets"
            | "access-strategies"
            | "log-destinations"
    )
}

fn nameless(collection: &str) -> bool {
    matches!(collection, "secrets" | "error-loggers" | "log-destinations")
}

impl FakeApi {
    /// Start a server accepting `token`, with a fault seed.
    pub fn start(token: &str, seed: u64) -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            rng: seed.max(1),
            ..State::default()
        }));
        for c in COLLECTIONS {
            state
                .lock()
                .unwrap()
                .collections
                .insert((*c).to_owned(), Vec::new());
        }
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            let token = token.to_owned();
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let state = Arc::clone(&state);
                    let token = token.clone();
                    std::thread::spawn(move || handle(conn, &state, &token));
                }
            })
        };
        FakeApi {
            addr,
            state,
            stop,
            accept: Some(accept),
            token: token.to_owned(),
        }
    }

    /// The base URL (`http://127.0.0.1:PORT/api/v1`).
    pub fn url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    pub fn set_faults(&self, faults: Faults) {
        self.state.lock().unwrap().faults = faults;
    }

    /// Every entity of a collection (`"flows"`, ...), or the flows filter.
    pub fn entities(&self, collection: &str) -> Vec<Json> {
        let s = self.state.lock().unwrap();
        if collection == "flows-filter" {
            return s.flows_filter.iter().cloned().collect();
        }
        s.collections.get(collection).cloned().unwrap_or_default()
    }

    /// Total number of entities stored.
    pub fn total(&self) -> usize {
        let s = self.state.lock().unwrap();
        s.collections.values().map(Vec::len).sum::<usize>() + usize::from(s.flows_filter.is_some())
    }

    /// Put an entity in place (as if created earlier); returns its id.
    pub fn seed(&self, collection: &str, mut body: Json) -> String {
        let mut s = self.state.lock().unwrap();
        s.next_id += 1;
        let id = format!("seed-{:04}", s.next_id);
        body["id"] = json!(id);
        if let Some(slug) = body.get("slug").and_then(Json::as_str) {
            body["slug"] = json!(slug.to_lowercase());
        }
        s.collections
            .get_mut(collection)
            .expect("collection")
            .push(body);
        id
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn clear_log(&self) {
        self.state.lock().unwrap().log.clear();
    }

    /// Writes (POST/PATCH/DELETE) that were applied.
    pub fn applied_writes(&self) -> Vec<Logged> {
        self.log().into_iter().filter(|l| l.applied).collect()
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    raw_path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    let (path, q) = target.split_once('?').unwrap_or((&target, ""));
    let query = url::form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Some(Request {
        method,
        path: path.to_owned(),
        query,
        raw_path: target.clone(),
        headers,
        body,
    })
}

fn respond(mut conn: &TcpStream, status: u16, body: &Json, extra: &[(&str, &str)]) {
    let text = body.to_string();
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        _ => "Error",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: keep-alive\r\n",
        text.len()
    );
    for (k, v) in extra {
        head.push_str(k);
        head.push_str(": ");
        head.push_str(v);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(text.as_bytes());
    let _ = conn.flush();
}

fn error_body(status: u16, errors: &[(&str, String)]) -> Json {
    json!({
        "error": true,
        "errors": errors.iter().map(|(f, m)| json!({"field": f, "message": m})).collect::<Vec<_>>(),
        "code": status.to_string(),
        "status_code": status,
        "is_retryable": false,
    })
}

/// What the handler decided.
struct Answer {
    status: u16,
    body: Json,
    applied: Option<(String, String)>,
}

fn ok(body: Json) -> Answer {
    Answer {
        status: 200,
        body,
        applied: None,
    }
}

fn fail(status: u16, errors: &[(&str, String)]) -> Answer {
    Answer {
        status,
        body: error_body(status, errors),
        applied: None,
    }
}

/// Serve one connection (HTTP/1.1 keep-alive) until the client closes it
/// or a fault drops it.
fn handle(conn: TcpStream, state: &Arc<Mutex<State>>, token: &str) {
    let Ok(read_half) = conn.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    while let Some(req) = read_request(&mut reader) {
        if !handle_one(&conn, &req, state, token) {
            return;
        }
    }
}

/// Answer one request; false when the connection was dropped.
fn handle_one(conn: &TcpStream, req: &Request, state: &Arc<Mutex<State>>, token: &str) -> bool {
    let started = Instant::now();
    let (faults, roll_error, roll_kind, roll_drop) = {
        let mut s = state.lock().unwrap();
        let f = s.faults;
        (f, s.random(), s.random(), s.random())
    };
    if !faults.latency.is_zero() {
        std::thread::sleep(faults.latency);
    }
    let request_id = req
        .headers
        .get("x-sym-request-id")
        .cloned()
        .unwrap_or_default();
    let user_agent = req.headers.get("user-agent").cloned().unwrap_or_default();
    let shown = req
        .raw_path
        .strip_prefix("/api/v1")
        .unwrap_or(&req.raw_path)
        .to_owned();
    let log = |status: u16, applied: Option<(String, String)>| {
        state.lock().unwrap().log.push(Logged {
            method: req.method.clone(),
            path: shown.clone(),
            status,
            applied: applied.is_some(),
            request_id: request_id.clone(),
            user_agent: user_agent.clone(),
            started,
            finished: Instant::now(),
            entity: applied,
        });
    };
    if roll_error < faults.error_rate {
        if roll_kind < 0.5 {
            respond(
                conn,
                503,
                &json!({"error": true, "errors": [], "is_retryable": true}),
                &[],
            );
            log(503, None);
        } else {
            respond(
                conn,
                429,
                &json!({"error": true, "errors": []}),
                &[("Retry-After", "0")],
            );
            log(429, None);
        }
        return true;
    }
    let answer = if req.headers.get("authorization").map(String::as_str)
        != Some(&format!("Bearer {token}"))
    {
        fail(401, &[("", "missing or invalid token".to_owned())])
    } else {
        let mut s = state.lock().unwrap();
        route(&mut s, req)
    };
    let is_write = matches!(req.method.as_str(), "POST" | "PATCH");
    if is_write && answer.applied.is_some() && roll_drop < faults.drop_rate {
        let _ = conn.shutdown(Shutdown::Both);
        log(0, answer.applied);
        return false;
    }
    respond(conn, answer.status, &answer.body, &[]);
    log(answer.status, answer.applied);
    true
}

fn route(s: &mut State, req: &Request) -> Answer {
    let Some(rest) = req.path.strip_prefix("/api/v1/entities/") else {
        return fail(404, &[]);
    };
    let body: Json = if req.body.is_empty() {
        Json::Null
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(b) => b,
            Err(e) => return fail(400, &[("", format!("invalid JSON: {e}"))]),
        }
    };
    if rest == "flows-filter" {
        return flows_filter(s, &req.method, body);
    }
    let (collection, id) = match rest.split_once('/') {
        Some((c, i)) => (c, Some(i)),
        None => (rest, None),
    };
    if !s.collections.contains_key(collection) {
        return fail(404, &[]);
    }
    match (req.method.as_str(), id) {
        ("GET", None) => {
            let items = &s.collections[collection];
            let slug = req
                .query
                .iter()
                .find(|(k, _)| k == "slug")
                .map(|(_, v)| v.to_lowercase());
            let typ = req
                .query
                .iter()
                .find(|(k, _)| k == "type")
                .map(|(_, v)| v.clone());
            let found: Vec<Json> = items
                .iter()
                .filter(|e| {
                    slug.as_ref()
                        .is_none_or(|sl| e["slug"].as_str() == Some(sl))
                })
                .filter(|e| typ.as_ref().is_none_or(|t| e["type"].as_str() == Some(t)))
                .map(|e| present(collection, e))
                .collect();
            ok(Json::Array(found))
        }
        ("GET", Some(id)) => match s.collections[collection]
            .iter()
            .find(|e| e["id"] == json!(id))
        {
            Some(e) => ok(present(collection, e)),
            None => fail(404, &[]),
        },
        ("POST", None) => {
            let Json::Object(_) = body else {
                return fail(400, &[("", "expected an object".to_owned())]);
            };
            let mut e = body;
            if let Err(a) = validate(s, collection, &e, None) {
                return a;
            }
            s.next_id += 1;
            let id = format!("{:08x}-0000-4000-8000-{:012x}", s.next_id, s.next_id);
            e["id"] = json!(id);
            assign_slug(s, collection, &mut e, None);
            s.collections.get_mut(collection).unwrap().push(e.clone());
            Answer {
                status: 200,
                body: present(collection, &e),
                applied: Some((collection.to_owned(), id)),
            }
        }
        ("PATCH", Some(id)) => {
            let Some(pos) = s.collections[collection]
                .iter()
                .position(|e| e["id"] == json!(id))
            else {
                return fail(404, &[]);
            };
            let Json::Object(patch) = body else {
                return fail(400, &[("", "expected an object".to_owned())]);
            };
            let mut e = s.collections[collection][pos].clone();
            for (k, v) in patch {
                if k != "id" {
                    e[k.as_str()] = v;
                }
            }
            if let Err(a) = validate(s, collection, &e, Some(id)) {
                return a;
            }
            if !nameless(collection) {
                assign_slug(s, collection, &mut e, Some(id));
            }
            s.collections.get_mut(collection).unwrap()[pos] = e.clone();
            Answer {
                status: 200,
                body: present(collection, &e),
                applied: Some((collection.to_owned(), id.to_owned())),
            }
        }
        ("DELETE", Some(id)) => {
            let list = s.collections.get_mut(collection).unwrap();
            let before = list.len();
            list.retain(|e| e["id"] != json!(id));
            if list.len() == before {
                fail(404, &[])
            } else {
                Answer {
                    status: 200,
                    body: Json::Null,
                    applied: Some((collection.to_owned(), id.to_owned())),
                }
            }
        }
        _ => fail(405, &[]),
    }
}

/// The slug: lower-cased from the payload, or derived for nameless entities
/// (made unique with a suffix: a client must never rely on it).
fn assign_slug(s: &State, collection: &str, e: &mut Json, id: Option<&str>) {
    let base = match collection {
        "secrets" => e["path"].as_str().unwrap_or("secret").to_owned(),
        "error-loggers" => e["destination"]
            .as_str()
            .unwrap_or("logger")
            .trim_start_matches('#')
            .to_owned(),
        "log-destinations" => e["settings"]["stream_name"]
            .as_str()
            .or_else(|| e["type"].as_str())
            .unwrap_or("log")
            .to_owned(),
        _ => e["slug"].as_str().unwrap_or_default().to_owned(),
    }
    .to_lowercase();
    if !nameless(collection) {
        e["slug"] = json!(base);
        return;
    }
    let taken = |cand: &str| {
        s.collections[collection]
            .iter()
            .any(|x| x["slug"].as_str() == Some(cand) && x["id"].as_str() != id)
    };
    let mut slug = base.clone();
    let mut n = 2;
    while taken(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    e["slug"] = json!(slug);
}

fn exists(s: &State, collection: &str, id: &str) -> bool {
    s.collections[collection]
        .iter()
        .any(|e| e["id"] == json!(id))
}

fn is_b64(v: &Json) -> bool {
    use base64::Engine as _;
    v.as_str()
        .is_some_and(|t| base64::engine::general_purpose::STANDARD.decode(t).is_ok())
}

/// Required fields and references, as the API would check them.
fn validate(s: &State, collection: &str, e: &Json, id: Option<&str>) -> Result<(), Answer> {
    let mut errors: Vec<(&str, String)> = Vec::new();
    let need_str = |errors: &mut Vec<(&str, String)>, key: &'static str| {
        if e[key].as_str().is_none_or(str::is_empty) {
            errors.push((key, "this field is required".to_owned()));
        }
    };
    let need_ref = |errors: &mut Vec<(&str, String)>,
                    key: &'static str,
                    target: &str,
                    optional: bool| match e[key].as_str() {
        Some("<null>") if optional => {}
        Some(v) if !v.is_empty() => {
            if !exists(s, target, v) {
                errors.push((key, format!("no {target} with id {v}")));
            }
        }
        _ if optional => {}
        _ => errors.push((key, "this field is required".to_owned())),
    };
    if !nameless(collection) {
        need_str(&mut errors, "slug");
    }
    if typed(collection) {
        need_str(&mut errors, "type");
    }
    match collection {
        "flows" => {
            if !is_b64(&e["implementation"]) || e["implementation"].as_str() == Some("") {
                errors.push(("implementation", "must be non-empty base64".to_owned()));
            }
            need_ref(&mut errors, "environment_id", "environments", false);
            if !e["vars"].is_object() {
                errors.push(("vars", "must be an object".to_owned()));
            }
            if !e["params"].is_object() {
                errors.push(("params", "must be an object".to_owned()));
            }
            let p = &e["params"];
            if let Some(sid) = p["strategy_id"].as_str() {
                if !exists(s, "access-strategies", sid) {
                    errors.push(("params.strategy_id", format!("no strategy with id {sid}")));
                }
            }
            if p["allow_revoke"] == json!(false) && p["schedule_deescalation"] == json!(false) {
                errors.push((
                    "params",
                    "at least one of schedule_deescalation or allow_revoke must be true".to_owned(),
                ));
            }
            if let Some(fields) = p["prompt_fields"].as_array() {
                for f in fields {
                    if !is_b64(&f["on_change"]) && !f["on_change"].is_null() {
                        errors.push((
                            "params.prompt_fields.on_change",
                            "must be base64".to_owned(),
                        ));
                    }
                }
            }
        }
        "environments" => {
            if !e["integrations"].is_object() {
                errors.push(("integrations", "must be an object".to_owned()));
            }
            for (k, v) in e["integrations"].as_object().into_iter().flatten() {
                if !v.as_str().is_some_and(|i| exists(s, "integrations", i)) {
                    errors.push(("integrations", format!("{k}: no integration with id {v}")));
                }
            }
            need_ref(&mut errors, "runtime_id", "runtimes", true);
            need_ref(&mut errors, "error_logger_id", "error-loggers", true);
        }
        "integrations" => need_str(&mut errors, "external_id"),
        "secrets" => {
            need_str(&mut errors, "path");
            need_ref(&mut errors, "source_id", "secret-sources", false);
        }
        "error-loggers" => {
            need_str(&mut errors, "destination");
            need_ref(&mut errors, "integration_id", "integrations", false);
        }
        "access-strategies" => {
            need_ref(&mut errors, "integration_id", "integrations", true);
            for t in e["targets"].as_array().into_iter().flatten() {
                if !t.as_str().is_some_and(|t| exists(s, "access-targets", t)) {
                    errors.push(("targets", format!("no target with id {t}")));
                }
            }
        }
        "log-destinations" => need_ref(&mut errors, "integration_id", "integrations", true),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(fail(400, &errors));
    }
    if !nameless(collection) {
        let slug = e["slug"].as_str().unwrap_or_default().to_lowercase();
        let dup = s.collections[collection].iter().any(|x| {
            x["slug"].as_str() == Some(slug.as_str())
                && (!typed(collection) || x["type"] == e["type"])
                && x["id"].as_str() != id
        });
        if dup {
            return Err(fail(409, &[("slug", format!("`{slug}` is already taken"))]));
        }
    }
    Ok(())
}

/// The API returns every known settings key of some types, null when unset.
fn present(collection: &str, e: &Json) -> Json {
    let mut e = e.clone();
    if collection == "integrations" && e["type"] == json!("permission_context") {
        for k in ["cloud", "region", "role_arn", "external_id"] {
            if e["settings"].get(k).is_none() {
                e["settings"][k] = Json::Null;
            }
        }
    }
    e
}

fn flows_filter(s: &mut State, method: &str, body: Json) -> Answer {
    match method {
        "GET" => match &s.flows_filter {
            Some(f) => ok(f.clone()),
            None => fail(404, &[]),
        },
        "POST" => {
            if s.flows_filter.is_some() {
                return fail(409, &[("", "a flows filter already exists".to_owned())]);
            }
            if !is_b64(&body["implementation"]) {
                return fail(400, &[("implementation", "must be base64".to_owned())]);
            }
            let mut f = body;
            s.next_id += 1;
            f["id"] = json!(format!("ff-{}", s.next_id));
            s.flows_filter = Some(f.clone());
            Answer {
                status: 200,
                body: f.clone(),
                applied: Some((
                    "flows-filter".to_owned(),
                    f["id"].as_str().unwrap_or_default().to_owned(),
                )),
            }
        }
        "PATCH" => {
            let Some(mut f) = s.flows_filter.clone() else {
                return fail(404, &[]);
            };
            for (k, v) in body.as_object().into_iter().flatten() {
                if k != "id" {
                    f[k.as_str()] = v.clone();
                }
            }
            s.flows_filter = Some(f.clone());
            let id = f["id"].as_str().unwrap_or_default().to_owned();
            Answer {
                status: 200,
                body: f,
                applied: Some(("flows-filter".to_owned(), id)),
            }
        }
        _ => fail(405, &[]),
    }
}
