//! wardterm: parse, dispatch, report failures. Nothing clever lives here.
use clap::Parser;

use wardterm::cli::Cli;
use wardterm::commands;

fn main() {
    let cli = Cli::parse();
    if let Err(f) = commands::run(cli.command, &cli.db) {
        eprintln!("wardterm: {}", f.message);
        std::process::exit(f.code);
    }
}
