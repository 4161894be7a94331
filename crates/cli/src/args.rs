pub const USAGE: &str = "\
usage: fota-sandbox <command>

commands:
  list                          list the built-in scenarios
  run <scenario> [options]      run a built-in scenario to the end
  run --file <scenario.json>    run a scenario from a file

options for run:
  --seed <n>     seed for every random choice (default: the scenario's)
  --json         print the run report as one JSON object
  --trace        print every datagram, explained, before the report

exit status: 0 expectations met, 1 expectations not met, 2 bad input
";

pub enum Command {
    Help,
    List,
    Run(RunArgs),
}

#[derive(Default)]
pub struct RunArgs {
    pub scenario: String,
    pub file: Option<String>,
    pub seed: Option<u64>,
    pub json: bool,
    pub trace: bool,
}

pub fn parse(argv: &[String]) -> Result<Command, String> {
    let mut it = argv.iter();
    match it.next().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("list") => Ok(Command::List),
        Some("run") => {
            let mut a = RunArgs::default();
            while let Some(arg) = it.next() {
                match arg.as_str() {
                    "--json" => a.json = true,
                    "--trace" => a.trace = true,
                    "--seed" => {
                        let v = it.next().ok_or("--seed needs a number")?;
                        a.seed = Some(v.parse().map_err(|_| {
                            format!("--seed {v} is not a number from 0 to 18446744073709551615")
                        })?);
                    }
                    "--file" => a.file = Some(it.next().ok_or("--file needs a path")?.clone()),
                    flag if flag.starts_with('-') => {
                        return Err(format!("unknown option {flag} (see --help)"))
                    }
                    id if a.scenario.is_empty() => a.scenario = id.to_string(),
                    extra => return Err(format!("unexpected argument {extra}")),
                }
            }
            if a.scenario.is_empty() == a.file.is_none() {
                return Err(
                    "run takes a scenario id or --file, one of the two (try: fota-sandbox list)"
                        .into(),
                );
            }
            Ok(Command::Run(a))
        }
        Some(other) => Err(format!("unknown command {other} (see --help)")),
    }
}
