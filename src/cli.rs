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
        /// With --demo: generate a big ward of this many beds (default 40 with --years)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=200))]
        beds: Option<u32>,
        /// With --demo: generate this many years of history (default 10 with --beds)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=30))]
        years: Option<u32>,
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
        /// Measured heart rate; derives the COWS pulse item (25-250, as on the nurse's screen)
        #[arg(long, value_name = "BPM")]
        hr: Option<u16>,
        /// Band set to use, by name (`wardterm config show` lists them; default: the first)
        #[arg(long, value_name = "NAME")]
        bands: Option<String>,
        /// Print JSON: {"scale","total","max","band","band_set","complete","unanswered","items"};
        /// "band" is null until every item is answered
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
    /// Print the ward's I-PASS handoff sheet for the current shift, for paper
    Handoff(Identity),
    /// Print the downtime medication administration record for paper: each patient's orders,
    /// and a grid of their doses from the start of the shift to HOURS ahead (given, held and
    /// refused as recorded; blank boxes for the doses to come)
    Mar {
        #[command(flatten)]
        id: Identity,
        /// How many hours ahead of now (1-72)
        #[arg(long, value_name = "HOURS", default_value_t = 24)]
        hours: u32,
    },
    /// Print today's therapy schedule with each patient's attendance, for paper
    Schedule(Identity),
    /// Print the observation round sheet for paper: every occupied bed, its level, and a grid of
    /// the shift's check slots (checks so far filled in, blank boxes for the times to come)
    Rounds {
        #[command(flatten)]
        id: Identity,
        /// Which shift: current (the default), next or previous
        #[arg(long, value_name = "WHICH", num_args = 0..=1, default_value = "current", default_missing_value = "current")]
        shift: String,
    },
    /// Show the ward's settings, or change one (admin): ward-name, idle-lock-minutes,
    /// temp-unit, shifts, bands, ladder, cssrs-every-hours, morse-every-hours, morse-bands
    Config {
        #[command(subcommand)]
        cmd: ConfigCmd,
    },
    /// Check the database: PRAGMA integrity_check, then the hash chain over every signed record;
    /// exits 1 naming the first record that does not match
    Verify,
    /// Print the audit trail (charge nurse or admin): who read or wrote which record
    Audit {
        /// Only this patient (by MRN)
        #[arg(long, value_name = "MRN")]
        patient: Option<String>,
        /// Only this user's actions (by username)
        #[arg(long, value_name = "USERNAME")]
        user: Option<String>,
        /// Only from this date on (ward time), YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Who is printing it (password from WARDTERM_PASSWORD or asked for)
        #[arg(long = "as", env = "WARDTERM_USER", value_name = "USERNAME")]
        as_user: String,
        /// At most this many entries, newest first
        #[arg(long, default_value_t = 500)]
        limit: usize,
    },
    /// Manage accounts: add, list, disable, enable, reset-password
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
}

/// Ward configuration.
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print every setting and the current policy versions (each ladder rung with its source)
    Show {
        /// Print JSON instead: the ward, shifts and policies; a ladder here is the shape
        /// `config set ladder SCALE:@FILE.json` takes
        #[arg(long)]
        json: bool,
    },
    /// Change a setting (admin): ward-name NAME | idle-lock-minutes N | temp-unit C|F |
    /// late-entry-minutes N | shifts Day=07:00,Night=19:00 | bands SCALE:PRESET |
    /// ladder SCALE:@FILE.json | cssrs-every-hours N | morse-every-hours N (0 = at admission
    /// only) | morse-bands "0-24 low, 25-44 moderate, 45+ high" | vitals-alerts news2|thresholds |
    /// news2-notify-at N | vitals-thresholds '{"hr_above":120,"sbp_below":90}' |
    /// naloxone-vitals "EVERY_MIN FOR_MIN"
    Set {
        key: String,
        value: String,
        #[command(flatten)]
        id: Identity,
    },
}

/// Account management (admin; or a charge nurse while the ward has no admin yet).
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add an account; its password from WARDTERM_NEW_PASSWORD or typed twice
    Add {
        /// The new account's username
        username: String,
        /// Display name, e.g. "Ana Ortiz"
        #[arg(long)]
        name: String,
        /// Credentials, e.g. RN, LPN
        #[arg(long)]
        credentials: String,
        /// nurse, charge or admin
        #[arg(long)]
        role: String,
        #[command(flatten)]
        id: Identity,
    },
    /// List every account
    List {
        #[command(flatten)]
        id: Identity,
    },
    /// Disable an account: it keeps its history and cannot sign in
    Disable {
        username: String,
        #[command(flatten)]
        id: Identity,
    },
    /// Enable a disabled account again
    Enable {
        username: String,
        #[command(flatten)]
        id: Identity,
    },
    /// Set a new password (from WARDTERM_NEW_PASSWORD or typed twice) and lift a lockout
    ResetPassword {
        username: String,
        #[command(flatten)]
        id: Identity,
    },
}

/// Who is printing patient data: every printout names its printer and is audited.
#[derive(Debug, Args, Clone)]
pub struct Identity {
    /// Your username (the password is read from WARDTERM_PASSWORD, or asked for on the terminal)
    #[arg(long, env = "WARDTERM_USER")]
    pub user: String,
}
