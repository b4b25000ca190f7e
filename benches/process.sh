#!/usr/bin/env bash
# Whole-process figures at ten years of ward data (docs/PERFORMANCE.md): process start to the
# first census frame, the census printout, the same SQL in the sqlite3 shell (the floor), and
# the peak memory of a session that visits every screen (census, help, scoring, trend, stay
# forms, note editor, timeline, handoff, round, schedule, audit).
#
# Needs a release build, the bench database, sqlite3, hyperfine (apt-get install hyperfine),
# tmux and /usr/bin/time. Usage:
#   target/release/wardterm init --demo --beds 40 --years 10 --db target/bench-ward.db
#   benches/process.sh                      # WARDTERM_BENCH_DB and RUNS override the defaults
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${WARDTERM_BENCH_DB:-target/bench-ward.db}
RUNS=${RUNS:-30}
REPEAT=1000
OUT=target/bench-process
SQL=$OUT/sql
[ -f "$DB" ] || { echo "no $DB: build it with target/release/wardterm init --demo --beds 40 --years 10 --db $DB" >&2; exit 1; }
cargo build --release --quiet --bin wardterm --example perf_probe
mkdir -p "$OUT"
target/release/examples/perf_probe sql "$DB" "$SQL" "$REPEAT"
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null

echo "== process start to the census ($RUNS runs; hyperfine)"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$OUT/process.json" \
  -n "wardterm: first census frame, sign-in skipped" "target/release/examples/perf_probe first-frame $DB" \
  -n "wardterm census printout (argon2 sign-in, audited)" \
     "env WARDTERM_PASSWORD=demo-charge1 target/release/wardterm --db $DB census --user charge" \
  -n "sqlite3 shell: the census query" "sqlite3 -init /dev/null $DB .read\ $SQL/census.sql"

echo "== each screen query in the sqlite3 shell: ($REPEAT runs - none) / $REPEAT"
for q in census assessments_page trend prns timeline search_stay_common search_stay_rare search_ward_common \
         search_ward_rare search_all_common mar_stay ward_due; do
  hyperfine -N --warmup 2 --runs 10 --export-json "$OUT/floor-$q.json" \
    -n "$q x$REPEAT" "sqlite3 -init /dev/null $DB .read\ $SQL/$q.repeat.sql" \
    -n "$q x0" "sqlite3 -init /dev/null $DB .read\ $SQL/$q.empty.sql" > /dev/null
  python3 - "$OUT/floor-$q.json" "$q" "$REPEAT" <<'EOF'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
many, none = (statistics.median(x["times"]) for x in r)
print(f"  {sys.argv[2]:<18} {(many - none) / int(sys.argv[3]) * 1e3:.3f} ms per query (sqlite3 shell)")
EOF
done

echo "== peak memory of a session visiting every screen (tmux, /usr/bin/time -v)"
S=wardterm-mem-$$
rm -f "$OUT/mem.txt"
tmux new-session -d -s "$S" -x 80 -y 24 "/usr/bin/time -v -o $OUT/mem.txt target/release/wardterm --db $DB"
k() { tmux send-keys -t "$S" "$@"; sleep 0.4; }
sleep 1
k charge; k Tab; k demo-charge1; k Enter; sleep 2          # sign in (argon2)
k '?'; k Escape                                             # help
k j; k j; k j; k s; k s; k s; k /; k a; k Escape            # move, sort, filter
k g; k Enter; k 3; k Down; k 2; k '?'; k Escape              # scoring (bed 1: the long stay)
k Escape; k Escape                                          # back, discarding the unsaved scores
k h; k n; k n; k n; k p; k Escape                           # trend and past assessments
k j; k h; k n; k Escape                                     # another patient's trend
k j; k o; k Escape; k l; k Escape; k t; k Escape            # stay forms
k g; k n; k Right; k Enter; k 'Resting, mild tremor.'; k Escape  # a note (the draft is kept)
k v; k PageDown; k Enter; k Escape; k Escape                # timeline of the long stay, a page back
k H; k Enter; k j; k Escape; k Escape                       # the ward's handoff, one patient
k R; k Escape; k S; k Escape; k A; k Escape                 # round, schedule, audit trail
tmux capture-pane -p -t "$S" > "$OUT/last-screen.txt"
k q; sleep 1
tmux kill-session -t "$S" 2> /dev/null || true
grep -E "Maximum resident set size" "$OUT/mem.txt" | sed 's/^\s*/  /'
