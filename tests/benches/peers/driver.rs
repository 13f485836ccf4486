//! The driver's side of the bench: the server's process (`peers serve`), and the comparison that spawns
//! one `peers run …` process per client, workload and round, interleaved, then prints the report.

use crate::report::{report, thousands};
use crate::{
    cpu_time, Client, Flavour, Result, Tally, Workload, CONCURRENCY, CONCURRENT_CALLS,
    DEFAULT_ROUNDS, SEQUENTIAL_CALLS,
};
use groq_tests::bench_server::{BenchServer, DEFAULT_CHUNKS};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// ---- `serve`: the server's process -----------------------------------------------------------------------

/// `peers serve`: starts the server, prints its base URL and serves until stdin closes.
pub(crate) fn serve() -> Result {
    let server = BenchServer::start()?;
    println!("{}", server.base_url());
    std::io::stdout().flush()?;
    // Serve until the driver closes our stdin (or exits).
    std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink())?;
    drop(server);
    Ok(())
}

// ---- The comparison ----------------------------------------------------------------------------------------

pub(crate) struct CompareOptions {
    pub(crate) rounds: usize,
    pub(crate) flavour: Flavour,
    pub(crate) sequential: usize,
    pub(crate) concurrent: usize,
    pub(crate) warm_up: bool,
    pub(crate) clients: Vec<Client>,
    pub(crate) workloads: Vec<Workload>,
    pub(crate) label: &'static str,
}

impl CompareOptions {
    fn from(args: &[String], bench: bool) -> Result<Self> {
        let value = |name: &str, env: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .cloned()
                .or_else(|| std::env::var(env).ok().filter(|v| !v.is_empty()))
        };
        let quick = args.iter().any(|a| a == "--quick")
            || std::env::var("PEER_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
        let (mut options, label) = if !bench {
            ((1, 50, 256, false), "smoke test")
        } else if quick {
            (
                (3, SEQUENTIAL_CALLS / 10, CONCURRENT_CALLS / 10, true),
                "quick",
            )
        } else {
            (
                (DEFAULT_ROUNDS, SEQUENTIAL_CALLS, CONCURRENT_CALLS, true),
                "full",
            )
        };
        if let Some(rounds) = value("--rounds", "PEER_BENCH_ROUNDS") {
            options.0 = rounds.parse()?;
        }
        let list = |name, env| value(name, env).map(|v| v.split(',').map(str::to_owned).collect());
        let clients: Option<Vec<String>> = list("--clients", "PEER_BENCH_CLIENTS");
        let workloads: Option<Vec<String>> = list("--workloads", "PEER_BENCH_WORKLOADS");
        Ok(Self {
            rounds: options.0.max(1),
            flavour: Flavour::parse(
                &value("--runtime", "PEER_BENCH_RUNTIME").unwrap_or("multi".into()),
            )?,
            sequential: options.1,
            concurrent: options.2,
            warm_up: options.3,
            clients: match clients {
                Some(names) => names
                    .iter()
                    .map(|n| Client::parse(n))
                    .collect::<Result<_>>()?,
                None => Client::ALL.to_vec(),
            },
            workloads: match workloads {
                Some(names) => names
                    .iter()
                    .map(|n| Workload::parse(n))
                    .collect::<Result<_>>()?,
                None => Workload::ALL.to_vec(),
            },
            label,
        })
    }

    fn calls(&self, workload: Workload) -> usize {
        match workload {
            Workload::Sequential => self.sequential,
            Workload::Concurrent => self.concurrent,
            Workload::Stream => 1,
        }
    }

    pub(crate) fn describe(&self, workload: Workload) -> String {
        match workload {
            Workload::Sequential => format!("{} sequential calls", thousands(self.sequential)),
            Workload::Concurrent => format!(
                "{} calls, {CONCURRENCY} concurrent",
                thousands(self.concurrent)
            ),
            Workload::Stream => format!("one {}-chunk stream", thousands(DEFAULT_CHUNKS)),
        }
    }
}

/// One measured process.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    pub(crate) wall: Duration,
    pub(crate) cpu: Duration,
    pub(crate) tally: Tally,
}

/// The server's process; closing its stdin ends it.
struct ServerProcess {
    child: std::process::Child,
    base_url: String,
}

impl ServerProcess {
    fn start(exe: &std::path::Path) -> Result<Self> {
        let mut child = Command::new(exe)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
        let base_url = line.trim().to_owned();
        if !base_url.starts_with("http://127.0.0.1:") {
            let _ = child.kill();
            return Err(format!("the server printed {line:?}").into());
        }
        Ok(Self { child, base_url })
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn measure(
    exe: &std::path::Path,
    base_url: &str,
    client: Client,
    workload: Workload,
    calls: usize,
    flavour: Flavour,
) -> Result<Sample> {
    let mut command = Command::new(exe);
    command
        .args([
            "run",
            "--client",
            client.name(),
            "--workload",
            workload.name(),
        ])
        .args(["--base-url", base_url, "--runtime", flavour.name()])
        .args(["--calls", &calls.to_string()])
        .stdout(Stdio::piped());
    let cpu_before = cpu_time(libc::RUSAGE_CHILDREN);
    let start = Instant::now();
    let mut child = command.spawn()?;
    let mut output = String::new();
    child
        .stdout
        .take()
        .ok_or("no stdout")?
        .read_to_string(&mut output)?;
    let status = child.wait()?;
    let wall = start.elapsed();
    let cpu = cpu_time(libc::RUSAGE_CHILDREN).saturating_sub(cpu_before);
    if !status.success() {
        return Err(format!("{} {}: {status}", client.name(), workload.name()).into());
    }
    let field = |name: &str| -> Result<usize> {
        let prefix = format!("{name}=");
        output
            .split_whitespace()
            .find_map(|f| f.strip_prefix(&prefix))
            .ok_or_else(|| format!("no {name} in {output:?}"))?
            .parse()
            .map_err(Into::into)
    };
    Ok(Sample {
        wall,
        cpu,
        tally: Tally {
            items: field("items")?,
            bytes: field("bytes")?,
        },
    })
}

/// The bench itself: every client on every workload, interleaved in rounds, then the report.
pub(crate) fn compare(args: &[String], bench: bool) -> Result {
    let options = CompareOptions::from(args, bench)?;
    let exe = std::env::current_exe()?;
    let server = ServerProcess::start(&exe)?;
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    eprintln!(
        "peers ({}): server at {}, {} round(s), tokio runtime: {}, {cores} core(s)",
        options.label,
        server.base_url,
        options.rounds,
        options.flavour.name()
    );
    if options.warm_up {
        for &workload in &options.workloads {
            for &client in options.clients.iter().filter(|c| c.runs(workload)) {
                let calls = options.calls(workload).div_ceil(10);
                measure(
                    &exe,
                    &server.base_url,
                    client,
                    workload,
                    calls,
                    options.flavour,
                )?;
            }
        }
    }
    let (nc, nw) = (options.clients.len(), options.workloads.len());
    // samples[workload][client]
    let mut samples: Vec<Vec<Vec<Sample>>> = vec![vec![Vec::new(); nc]; nw];
    let started = Instant::now();
    let ticks_before = CpuTicks::read();
    for round in 0..options.rounds {
        for (w, &workload) in options.workloads.iter().enumerate() {
            for k in 0..nc {
                let c = (k + round) % nc;
                let client = options.clients[c];
                if !client.runs(workload) {
                    continue;
                }
                let calls = options.calls(workload);
                let sample = measure(
                    &exe,
                    &server.base_url,
                    client,
                    workload,
                    calls,
                    options.flavour,
                )?;
                let expected = match workload {
                    Workload::Stream => DEFAULT_CHUNKS,
                    _ => calls,
                };
                if sample.tally.items != expected {
                    return Err(format!(
                        "{} {}: {} items, expected {expected}",
                        client.name(),
                        workload.name(),
                        sample.tally.items
                    )
                    .into());
                }
                if let Some(first) = samples[w].iter().flatten().next() {
                    if first.tally != sample.tally {
                        return Err(format!(
                            "{} {}: read {:?}, another client {:?}",
                            client.name(),
                            workload.name(),
                            sample.tally,
                            first.tally
                        )
                        .into());
                    }
                }
                samples[w][c].push(sample);
            }
        }
        eprintln!(
            "round {}/{} done ({:.0?})",
            round + 1,
            options.rounds,
            started.elapsed()
        );
    }
    drop(server);
    let steal = ticks_before
        .zip(CpuTicks::read())
        .map(|(a, b)| b.steal_since(a));
    print!("{}", report(&options, &samples, cores, steal));
    Ok(())
}

/// The machine's CPU time as `/proc/stat` counts it (Linux): all of it, and what a hypervisor gave to
/// other guests while this one's CPUs wanted to run ("steal"). A run during which the host was busy is
/// noisy whatever the clients do; the report says how much was stolen.
#[derive(Clone, Copy)]
struct CpuTicks {
    total: u64,
    steal: u64,
}

impl CpuTicks {
    fn read() -> Option<Self> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let fields: Vec<u64> = stat
            .lines()
            .next()?
            .strip_prefix("cpu ")?
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        Some(Self {
            // user nice system idle iowait irq softirq steal (guest time is counted in user already).
            total: fields.iter().take(8).sum(),
            steal: *fields.get(7)?,
        })
    }

    /// The share of the CPU time since `earlier` that was stolen, in percent.
    fn steal_since(self, earlier: Self) -> f64 {
        let total = self.total.saturating_sub(earlier.total);
        let steal = self.steal.saturating_sub(earlier.steal);
        if total == 0 {
            0.0
        } else {
            100.0 * steal as f64 / total as f64
        }
    }
}
