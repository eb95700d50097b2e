//! newsidx binary: parses arguments, dispatches to the library, maps the result to an exit
//! code (0: results, 1: no results, 2: error or failed records). A closed pipe is not an error.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use cli::{Checked, Cli};
use newsidx::commands::{self, Outcome};
use newsidx::corpus::ReadOptions;
use newsidx::Error;

/// mimalloc instead of glibc's allocator: indexing allocates and frees many small strings and
/// vectors on several threads (tokens, tags, tantivy documents); glibc malloc/free were ~12 % of
/// the build's CPU samples (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn run(cli: Cli) -> Result<Outcome, Error> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match cli.into_command()? {
        Checked::Index(cfg) => commands::index(&cfg),
        Checked::Search(cfg) => commands::search(&cfg, &mut out),
        Checked::Facets(cfg) => commands::facets(&cfg, &mut out),
        Checked::Timeline(cfg) => commands::timeline(&cfg, &mut out),
        Checked::Tag { file, json } => {
            commands::tag(&file, json, &ReadOptions::default(), &mut out)
        }
        Checked::Info { index } => commands::info(&index, &mut out),
        Checked::Eval {
            data,
            limit,
            json,
            errors,
        } => commands::eval(&data, limit, json, errors, &mut out),
        Checked::TrainNer {
            data,
            lang,
            out: model,
            epochs,
        } => commands::train_ner(&data, lang, &model, epochs),
    }
}

fn is_broken_pipe(err: &Error) -> bool {
    matches!(err, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
}

fn main() -> ExitCode {
    let os_args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let args: Vec<String> = os_args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // One command definition, built once, for the option check and the parse.
    let mut cmd = Cli::command();
    cmd.build();
    if let Some((command, option)) = cli::unknown_long_option(&cmd, &args) {
        eprintln!("newsidx: error: unknown option '{option}' (see 'newsidx {command} --help')");
        return ExitCode::from(2);
    }
    let cli = match cmd
        .try_get_matches_from(os_args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(Outcome::Found) => ExitCode::from(0),
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        Ok(Outcome::PartialFailure) => ExitCode::from(2),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(0),
        Err(e) => {
            let mut stderr = io::stderr().lock();
            let _ = write!(stderr, "newsidx: error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                let _ = write!(stderr, ": {cause}");
                source = cause.source();
            }
            let _ = writeln!(stderr);
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
