//! Command-line arguments (clap).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Drafts an ISO/IEC 20000-1 organization profile from the documents an organization already
/// has, with the source of every value and a gap report for the follow-up interview.
#[derive(Debug, Parser)]
#[command(name = "orgprofile", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a profile for completeness (the reference skill's rules).
    Check(CheckArgs),
    /// Show the blocks and locators one file is read into (to write mapping rules against).
    Extract(ExtractArgs),
    /// Show the candidates one file yields under the mapping rules (to test a rule).
    Map(MapArgs),
    /// Validate or list mapping rules.
    Mappings(MappingsArgs),
    /// Draft the profile and gap report of one client folder.
    Import(ImportArgs),
    /// Draft profiles and gap reports for every client folder under a root folder.
    Batch(BatchArgs),
    /// Explain where each value of a drafted profile came from.
    Explain(ExplainArgs),
    /// Print a JSON Schema, or the shapes values must fit.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        kind: SchemaKind,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// The organization profile (profile.json).
    Profile,
    /// Mapping rule files (mappings/*.toml), for editor completion.
    Mappings,
    /// The shapes a value must fit to be taken, and the fields each checks (text, not JSON).
    Shapes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Edition {
    /// ISO/IEC 20000-1:2011.
    #[value(name = "2011")]
    E2011,
    /// ISO/IEC 20000-1:2018 (current).
    #[value(name = "2018")]
    E2018,
}

impl From<Edition> for orgprofile::check::Edition {
    fn from(e: Edition) -> Self {
        match e {
            Edition::E2011 => orgprofile::check::Edition::E2011,
            Edition::E2018 => orgprofile::check::Edition::E2018,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Plain text for the terminal.
    Text,
    /// The JSON contract.
    Json,
    /// Markdown to paste into an email.
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The profile to check (JSON).
    pub profile: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Which edition's clauses to show first.
    #[arg(long, value_enum, default_value = "2018")]
    pub edition: Edition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    /// Every block and cell with its locator.
    Json,
    /// An indented outline.
    Text,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The file to read.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExtractFormat,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    /// The file to map.
    pub file: PathBuf,
    /// Extra rule folders, applied after the defaults; later folders win.
    #[arg(long = "mappings", value_name = "DIR")]
    pub mappings: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExtractFormat,
}

#[derive(Debug, Args)]
pub struct MappingsArgs {
    #[command(subcommand)]
    pub command: MappingsCommand,
}

#[derive(Debug, Subcommand)]
pub enum MappingsCommand {
    /// Validate rule folders (the shipped defaults when none is given).
    Check {
        /// Rule folders to validate on top of the defaults.
        dirs: Vec<PathBuf>,
    },
    /// List the effective rules and where each came from.
    List {
        /// Extra rule folders, applied after the defaults.
        #[arg(long = "mappings", value_name = "DIR")]
        mappings: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The client's folder.
    pub client_dir: PathBuf,
    /// Where to write profile.json, sources.json, report.json and report.md.
    #[arg(short = 'o', long = "out", value_name = "OUT_DIR")]
    pub out: PathBuf,
    /// Extra rule folders, applied after the defaults; later folders win.
    #[arg(long = "mappings", value_name = "DIR")]
    pub mappings: Vec<PathBuf>,
    /// A profile whose values win over the documents' (its unknown keys are kept).
    #[arg(long, value_name = "PROFILE.json")]
    pub base: Option<PathBuf>,
    /// Which edition's clauses the report shows first.
    #[arg(long, value_enum, default_value = "2018")]
    pub edition: Edition,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The folder whose immediate subfolders are clients.
    pub root: PathBuf,
    /// Where to write one folder per client and summary.json / summary.csv.
    #[arg(short = 'o', long = "out", value_name = "OUT_DIR")]
    pub out: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// Extra rule folders, applied after the defaults; later folders win.
    #[arg(long = "mappings", value_name = "DIR")]
    pub mappings: Vec<PathBuf>,
    /// Take only the clients of shard K of N (1-based), by a stable hash of the client name.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Which edition's clauses the reports show first.
    #[arg(long, value_enum, default_value = "2018")]
    pub edition: Edition,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// An output folder of `import` (or one client's folder of a `batch`).
    pub out_dir: PathBuf,
    /// A field's JSON pointer (`/key_roles/sms_manager`) or section (`key_roles`); all if omitted.
    pub field: Option<String>,
}
