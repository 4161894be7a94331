use std::net::SocketAddrV4;

pub const USAGE: &str = "\
usage: fota-sandbox <command>

commands:
  scenarios                     the built-in scenarios: id, topic and title (also: list)
  validate <scenario.json>      check a scenario file; exit 0 when usable, 1 when not
  rules                         print the SPEC rules the sandbox implements (Markdown)
  schema                        print the JSON Schema of scenario files
  lessons                       the built-in lessons: id, title, scenario, number of steps
  lesson schema                 print the JSON Schema of lesson files
  lesson check <lesson.json>    check a lesson file and find each step's moment on its
                                scenario; exit 0 when all are found, 1 naming the first that is not
  challenges, challenge list     the built-in challenges: id, lesson, par, seeds and title
  challenge check <challenge.json or id> [--solution]
                                grade a challenge on its unchanged start (a good challenge
                                fails there) or on its reference solution; each goal in words
                                and on how many seeds it held; exit 0 when every goal holds
  challenge grade <codes.txt>   a class table from students' progress codes, one a line
  challenge schema              print the JSON Schema of challenge files
  run <id or file.json> [options]
                                run a built-in scenario or a scenario file to the end
  repo --listen <ip:port> --file <path>=<file> [--file ...]
                                serve files over real UDP with Block2, ETag and Size2
  device --listen <ip:port> [--server coap://<ip>:<port>] [--version <x.y.z>]
                                run a simulated device over real UDP; with --server it registers
  server --listen <ip:port> --image <file> [--method pull|push] [--repo-listen <ip:port>]
         [--expect-version <x.y.z>]
                                run the LwM2M server (and for PULL a repository) over real
                                UDP and update the first device that registers with any
                                package; success is /3/0/3 at our image's version, or at
                                --expect-version, or else Update Result 1 after the new
                                Register (SRV-13); exit 0 when the campaign succeeds, 1 when
                                it fails

options for run:
  --seed <n>          seed for every random choice (default: the scenario's)
  --json              print the run report as one JSON object
  --explain           print every datagram, explained, with the nodes' log lines
  --trace <out.json>  write the trace file (datagrams, fates, bytes, explanations, events)
  --pcap <out.pcap>   write the datagrams as a capture for Wireshark or tshark
  --filter <expr>     print only the datagrams a display filter matches (numbered as in
                      --explain), such as 'coap.code == 2.31' or 'fate == lost && to == device';
                      with --json the report gains matching_rows; docs/filters.md has the fields

  image build --version <x.y.z> [--security-counter <n>] [--size <bytes>]
              [--behaviour healthy|crash-at-boot|hang|fail-health-check]
              [--key sandbox|unknown] -o <file>
                                write a signed image in MCUboot's format
  image inspect <file> [--json] show an image's header, TLVs and the bootloader's checks;
                                exit 0 when valid, 1 when not

  powercut [--strategy swap-move|overwrite] [--all] [--json]
                                cut the power before every flash operation of an upgrade,
                                again during each recovery, and count what boots afterwards;
                                --all sweeps every geometry a scenario may have (alignments
                                1 to 16, erased 0x00 and 0xFF, three image sizes), one line
                                each; exit 0 when no cut broke an invariant, 1 when one did

  chaos [--seeds <n>] [--from <seed>] [--show <seed>]
                                run n random worlds (networks, faults, strategies, image
                                behaviours, PULL or PUSH; default 100) and count how they end;
                                exit 1 when a run is unfinished, stuck outside Idle, has a
                                verdict the device contradicts, or panics; --show prints the
                                scenario a seed draws
  fuzz [--execs <n>] [--seed <s>]
                                n executions (default 10000) of mutated datagrams and files
                                into every decoder and into the nodes at snapshots of the
                                built-in scenarios; prints executions per target and per
                                second, and every panic with its input; exit 1 on a finding

options for repo, device and server:
  --seconds <n>  stop after n seconds (default: run until interrupted)

exit status: 0 expectations met, 1 expectations not met, 2 bad input
";

pub enum Command {
    Help,
    List,
    Validate(String),
    Rules,
    Schema,
    Lessons,
    LessonCheck(String),
    /// Grade a challenge file: its unchanged start, or with `solution` its reference solution.
    ChallengeCheck {
        file: String,
        solution: bool,
    },
    LessonSchema,
    /// The built-in challenges, a line each.
    ChallengeList,
    /// A class table from a file of progress codes, one a line.
    ChallengeGrade(String),
    ChallengeSchema,
    Run(RunArgs),
    Repo(RepoArgs),
    Device(DeviceArgs),
    Server(ServerArgs),
    ImageBuild(ImageBuildArgs),
    ImageInspect {
        file: String,
        json: bool,
    },
    Powercut {
        strategy: Option<String>,
        all: bool,
        json: bool,
    },
    Chaos {
        seeds: u64,
        from: u64,
        show: Option<u64>,
    },
    Fuzz {
        execs: u64,
        seed: u64,
    },
}

pub struct ImageBuildArgs {
    pub version: String,
    pub security_counter: u32,
    pub size: Option<usize>,
    pub behaviour: String,
    pub key: String,
    pub out: String,
}

fn parse_image<'a>(mut it: impl Iterator<Item = &'a String>) -> Result<Command, String> {
    match it.next().map(String::as_str) {
        Some("build") => {
            let mut a = ImageBuildArgs {
                version: String::new(),
                security_counter: 0,
                size: None,
                behaviour: "healthy".into(),
                key: "sandbox".into(),
                out: String::new(),
            };
            while let Some(arg) = it.next() {
                let mut value = |flag: &str| {
                    it.next()
                        .cloned()
                        .ok_or_else(|| format!("{flag} needs a value"))
                };
                match arg.as_str() {
                    "--version" => a.version = value("--version")?,
                    "--security-counter" => {
                        let v = value("--security-counter")?;
                        a.security_counter = v.parse().map_err(|_| {
                            format!("--security-counter {v} is not a number from 0 to 4294967295")
                        })?;
                    }
                    "--size" => {
                        let v = value("--size")?;
                        a.size = Some(
                            v.parse()
                                .map_err(|_| format!("--size {v} is not a number of bytes"))?,
                        );
                    }
                    "--behaviour" => a.behaviour = value("--behaviour")?,
                    "--key" => a.key = value("--key")?,
                    "-o" | "--output" => a.out = value("-o")?,
                    other => {
                        return Err(format!(
                            "unknown option {other} for image build (see --help)"
                        ))
                    }
                }
            }
            if a.version.is_empty() || a.out.is_empty() {
                return Err("image build needs --version <x.y.z> and -o <file>".into());
            }
            Ok(Command::ImageBuild(a))
        }
        Some("inspect") => {
            let (mut file, mut json) = (None, false);
            for arg in it {
                match arg.as_str() {
                    "--json" => json = true,
                    flag if flag.starts_with('-') => {
                        return Err(format!("unknown option {flag} for image inspect"))
                    }
                    f if file.is_none() => file = Some(f.to_string()),
                    extra => return Err(format!("unexpected argument {extra}")),
                }
            }
            Ok(Command::ImageInspect {
                file: file.ok_or("image inspect needs a file")?,
                json,
            })
        }
        _ => Err("image takes build or inspect (see --help)".into()),
    }
}

pub struct RepoArgs {
    pub listen: SocketAddrV4,
    /// (resource path, file on disk)
    pub files: Vec<(String, String)>,
    pub seconds: Option<u64>,
}

pub struct DeviceArgs {
    pub listen: SocketAddrV4,
    pub server: Option<SocketAddrV4>,
    pub version: String,
    pub seconds: Option<u64>,
}

pub struct ServerArgs {
    pub listen: SocketAddrV4,
    pub image: String,
    pub method: String,
    /// Where the repository listens for a PULL; by default the server's address, any port.
    pub repo_listen: Option<SocketAddrV4>,
    /// The version /3/0/3 must show after the update, for a package that does not say.
    pub expect_version: Option<String>,
    pub seconds: Option<u64>,
}

fn parse_server<'a>(mut it: impl Iterator<Item = &'a String>) -> Result<Command, String> {
    let (mut listen, mut image, mut method, mut repo_listen, mut secs) =
        (None, None, "pull".to_string(), None, None);
    let mut expect_version = None;
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--listen" => listen = Some(socket_addr("--listen", it.next())?),
            "--image" => image = Some(it.next().ok_or("--image needs a file")?.clone()),
            "--method" => {
                method = it.next().ok_or("--method needs pull or push")?.clone();
                if method != "pull" && method != "push" {
                    return Err(format!("--method {method} is not pull or push"));
                }
            }
            "--repo-listen" => repo_listen = Some(socket_addr("--repo-listen", it.next())?),
            "--expect-version" => {
                let v = it
                    .next()
                    .ok_or("--expect-version needs a version such as 2.0.0")?;
                expect_version = Some(v.clone());
            }
            "--seconds" => secs = Some(seconds(it.next())?),
            other => return Err(format!("unknown option {other} for server (see --help)")),
        }
    }
    Ok(Command::Server(ServerArgs {
        listen: listen.ok_or("server needs --listen <ip:port>")?,
        image: image.ok_or("server needs --image <file>")?,
        method,
        repo_listen,
        expect_version,
        seconds: secs,
    }))
}

fn socket_addr(flag: &str, v: Option<&String>) -> Result<SocketAddrV4, String> {
    let v = v.ok_or_else(|| format!("{flag} needs an address such as 127.0.0.1:5683"))?;
    v.parse().map_err(|_| {
        format!("{flag} {v} is not an IPv4 address with a port, such as 127.0.0.1:5683")
    })
}

fn seconds(v: Option<&String>) -> Result<u64, String> {
    let v = v.ok_or("--seconds needs a number")?;
    v.parse()
        .map_err(|_| format!("--seconds {v} is not a whole number"))
}

fn parse_repo<'a>(mut it: impl Iterator<Item = &'a String>) -> Result<Command, String> {
    let (mut listen, mut files, mut secs) = (None, Vec::new(), None);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--listen" => listen = Some(socket_addr("--listen", it.next())?),
            "--file" => {
                let v = it.next().ok_or("--file needs <path>=<file>")?;
                let (path, file) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--file {v} is not <path>=<file>"))?;
                files.push((
                    format!("/{}", path.trim_start_matches('/')),
                    file.to_string(),
                ));
            }
            "--seconds" => secs = Some(seconds(it.next())?),
            other => return Err(format!("unknown option {other} for repo (see --help)")),
        }
    }
    let listen = listen.ok_or("repo needs --listen <ip:port>")?;
    if files.is_empty() {
        return Err("repo needs at least one --file <path>=<file>".into());
    }
    Ok(Command::Repo(RepoArgs {
        listen,
        files,
        seconds: secs,
    }))
}

fn parse_device<'a>(mut it: impl Iterator<Item = &'a String>) -> Result<Command, String> {
    let (mut listen, mut server, mut version, mut secs) = (None, None, "1.0.0".to_string(), None);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--listen" => listen = Some(socket_addr("--listen", it.next())?),
            "--server" => {
                let v = it.next().ok_or("--server needs coap://<ip>:<port>")?;
                let rest = v
                    .strip_prefix("coap://")
                    .ok_or_else(|| format!("--server {v} must start with coap://"))?;
                server = Some(socket_addr(
                    "--server",
                    Some(&rest.trim_end_matches('/').to_string()),
                )?);
            }
            "--version" => version = it.next().ok_or("--version needs x.y.z")?.clone(),
            "--seconds" => secs = Some(seconds(it.next())?),
            other => return Err(format!("unknown option {other} for device (see --help)")),
        }
    }
    let listen = listen.ok_or("device needs --listen <ip:port>")?;
    Ok(Command::Device(DeviceArgs {
        listen,
        server,
        version,
        seconds: secs,
    }))
}

#[derive(Default)]
pub struct RunArgs {
    /// A built-in scenario's id, or a scenario file.
    pub scenario: String,
    pub file: Option<String>,
    pub seed: Option<u64>,
    pub json: bool,
    /// Print every datagram explained.
    pub explain: bool,
    /// Write the trace file here.
    pub trace: Option<String>,
    pub pcap: Option<String>,
    /// A display filter: print (or report) only the rows it matches.
    pub filter: Option<String>,
}

pub fn parse(argv: &[String]) -> Result<Command, String> {
    let mut it = argv.iter();
    match it.next().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("list" | "scenarios") => Ok(Command::List),
        Some("validate") => match (it.next(), it.next()) {
            (Some(file), None) => Ok(Command::Validate(file.clone())),
            _ => Err("validate takes one scenario file".into()),
        },
        Some("rules") => Ok(Command::Rules),
        Some("lessons") => Ok(Command::Lessons),
        Some("lesson") => match (it.next().map(String::as_str), it.next(), it.next()) {
            (Some("check"), Some(file), None) => Ok(Command::LessonCheck(file.clone())),
            (Some("schema"), None, None) => Ok(Command::LessonSchema),
            _ => Err("lesson takes: check <lesson.json>, or schema".into()),
        },
        Some("challenges") => Ok(Command::ChallengeList),
        Some("challenge") => match (
            it.next().map(String::as_str),
            it.next(),
            it.next().map(String::as_str),
            it.next(),
        ) {
            (Some("check"), Some(file), None, None) => Ok(Command::ChallengeCheck {
                file: file.clone(),
                solution: false,
            }),
            (Some("check"), Some(file), Some("--solution"), None) => Ok(Command::ChallengeCheck {
                file: file.clone(),
                solution: true,
            }),
            (Some("list"), None, None, None) => Ok(Command::ChallengeList),
            (Some("schema"), None, None, None) => Ok(Command::ChallengeSchema),
            (Some("grade"), Some(file), None, None) => Ok(Command::ChallengeGrade(file.clone())),
            _ => Err(
                "challenge takes: list, check <challenge.json or id> [--solution], grade <codes.txt>, or schema"
                    .into(),
            ),
        },
        Some("schema") => Ok(Command::Schema),
        Some("run") => {
            let mut a = RunArgs::default();
            while let Some(arg) = it.next() {
                match arg.as_str() {
                    "--json" => a.json = true,
                    "--explain" => a.explain = true,
                    "--trace" => {
                        a.trace = Some(it.next().ok_or("--trace needs a file to write")?.clone())
                    }
                    "--pcap" => {
                        a.pcap = Some(it.next().ok_or("--pcap needs a file to write")?.clone())
                    }
                    "--filter" => {
                        a.filter = Some(
                            it.next()
                                .ok_or("--filter needs an expression such as 'coap.code == 2.31'")?
                                .clone(),
                        )
                    }
                    "--seed" => {
                        let v = it.next().ok_or("--seed needs a number")?;
                        a.seed = Some(v.parse().map_err(|_| {
                            format!("--seed {v} is not a number from 0 to 18446744073709551615")
                        })?);
                    }
                    "--file" => a.file = Some(it.next().ok_or("--file needs a path")?.clone()),
                    // A path that names a file is a scenario file; anything else an id.
                    path if a.scenario.is_empty()
                        && a.file.is_none()
                        && (path.ends_with(".json") || std::path::Path::new(path).is_file()) =>
                    {
                        a.file = Some(path.to_string())
                    }
                    flag if flag.starts_with('-') => {
                        return Err(format!("unknown option {flag} (see --help)"))
                    }
                    id if a.scenario.is_empty() => a.scenario = id.to_string(),
                    extra => return Err(format!("unexpected argument {extra}")),
                }
            }
            if a.scenario.is_empty() == a.file.is_none() {
                return Err(
                    "run takes a scenario id or a scenario file, one of the two (try: fota-sandbox scenarios)"
                        .into(),
                );
            }
            Ok(Command::Run(a))
        }
        Some("repo") => parse_repo(it),
        Some("image") => parse_image(it),
        Some("powercut") => {
            let (mut strategy, mut all, mut json) = (None, false, false);
            while let Some(arg) = it.next() {
                match arg.as_str() {
                    "--json" => json = true,
                    "--all" => all = true,
                    "--strategy" => {
                        strategy = Some(it.next().ok_or("--strategy needs a name")?.clone())
                    }
                    other => return Err(format!("unknown option {other} for powercut")),
                }
            }
            Ok(Command::Powercut {
                strategy,
                all,
                json,
            })
        }
        Some("chaos") => {
            let (mut seeds, mut from, mut show) = (100, 0, None);
            let number = |flag: &str, v: Option<&String>| -> Result<u64, String> {
                v.and_then(|v| v.parse().ok())
                    .ok_or(format!("{flag} needs a whole number"))
            };
            while let Some(arg) = it.next() {
                match arg.as_str() {
                    "--seeds" => seeds = number("--seeds", it.next())?,
                    "--from" => from = number("--from", it.next())?,
                    "--show" => show = Some(number("--show", it.next())?),
                    other => return Err(format!("unknown option {other} for chaos")),
                }
            }
            Ok(Command::Chaos { seeds, from, show })
        }
        Some("fuzz") => {
            let (mut execs, mut seed) = (10_000, 1);
            let number = |flag: &str, v: Option<&String>| -> Result<u64, String> {
                v.and_then(|v| v.parse().ok())
                    .ok_or(format!("{flag} needs a whole number"))
            };
            while let Some(arg) = it.next() {
                match arg.as_str() {
                    "--execs" => execs = number("--execs", it.next())?,
                    "--seed" => seed = number("--seed", it.next())?,
                    other => return Err(format!("unknown option {other} for fuzz")),
                }
            }
            Ok(Command::Fuzz { execs, seed })
        }
        Some("device") => parse_device(it),
        Some("server") => parse_server(it),
        Some(other) => Err(format!("unknown command {other} (see --help)")),
    }
}
