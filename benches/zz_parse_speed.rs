#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut texts = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().map_or(false, |x| x == "tf") { texts.push(std::fs::read_to_string(&p).unwrap()); }
    }
    let mut pys = Vec::new();
    for e in std::fs::read_dir(format!("{dir}/impls")).unwrap() {
        pys.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    for round in 0..3 {
        let t = std::time::Instant::now();
        let bodies: Vec<_> = texts.iter().map(|t| hcl_edit::parser::parse_body(t).unwrap()).collect();
        let a = t.elapsed();
        drop(bodies);
        let t = std::time::Instant::now();
        let mut n = 0;
        for p in &pys { let m = ruff_python_parser::parse_module(p).unwrap(); n += m.syntax().body.len(); }
        let b = t.elapsed();
        let c = 0; let k = 0;
        println!("round {round}: hcl_edit {:?} ; ruff parse {:?} ({n}) ; ruff lex {} ({k})", a, b, c);
    }
}
