//! The command line: every subcommand and flag, with its help text (clap derive).
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "wardterm",
    version,
    about = "The nursing-station terminal of an inpatient detox ward",
    long_about = "The nursing-station terminal of an inpatient detox ward: census board, withdrawal \
                  scoring, progress notes, shift handoff. With no subcommand it opens the app."
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct DbArgs {
    /// The ward database file (default: the user's data directory, wardterm/ward.db)
    #[arg(long, global = true, env = "WARDTERM_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Use the demo ward (fictitious patients), created on first use
    #[arg(long, global = true)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a database and exit: the demo ward with --demo, otherwise an empty one that the app
    /// sets up on first start
    Init {
        /// Replace a file that already holds a ward (its data is lost)
        #[arg(long)]
        force: bool,
    },
    /// Print the census board as plain text, for paper when the terminals are down
    Census(Identity),
    /// Withdrawal-score calculator; touches no database
    Score {
        /// Scale key: ciwa-ar, cows, ciwa-b
        #[arg(required_unless_present = "list")]
        scale: Option<String>,
        /// Item scores as ITEM=VALUE (e.g. tremor=4)
        #[arg(value_name = "ITEM=VALUE")]
        items: Vec<String>,
        /// Measured heart rate; derives the COWS pulse item
        #[arg(long, value_name = "BPM")]
        hr: Option<u16>,
        /// Print JSON: {"scale","total","max","band","complete","items"}
        #[arg(long)]
        json: bool,
        /// List the scales and their item keys
        #[arg(long)]
        list: bool,
    },
    /// Copy the ward database to DEST while terminals are in use (SQLite's online backup); the
    /// copy is checked with integrity_check and readable by its owner only (0600)
    Backup {
        /// The backup file to write (refused if it exists, unless --force)
        #[arg(value_name = "DEST")]
        dest: PathBuf,
        /// Replace DEST if it exists
        #[arg(long)]
        force: bool,
    },
    /// Replace the ward database with a backup (admin only, asks to confirm); the database it
    /// replaces is kept beside it as <db>.before-restore-<time>
    Restore {
        /// The backup file to restore (checked first: integrity, a wardterm ward, not newer)
        #[arg(value_name = "SRC")]
        src: PathBuf,
        #[command(flatten)]
        id: Identity,
        /// Do not ask for confirmation (for scripts)
        #[arg(long)]
        yes: bool,
    },
}

/// Who is printing patient data: every printout names its printer and is audited.
#[derive(Debug, Args, Clone)]
pub struct Identity {
    /// Your username (the password is read from WARDTERM_PASSWORD, or asked for on the terminal)
    #[arg(long, env = "WARDTERM_USER")]
    pub user: String,
}
