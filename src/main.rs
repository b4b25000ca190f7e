//! wardterm: parse, dispatch, report failures. Nothing clever lives here.
use std::io::Write;

use clap::Parser;

use wardterm::cli::Cli;
use wardterm::commands;

fn main() {
    let cli = Cli::parse();
    if let Err(f) = commands::run(cli.command, &cli.db) {
        // Not eprintln!: with the terminal gone (an SSH drop) it would panic instead of exiting.
        let _ = writeln!(std::io::stderr(), "wardterm: {}", f.message);
        std::process::exit(f.code);
    }
}
