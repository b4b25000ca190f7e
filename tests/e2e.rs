mod common;
use common::pty::Session;
use std::time::Duration;

#[test]
fn probe() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ward.db");
    let db = db.to_str().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wardterm")).args(["init", "--demo", "--db", db]).output().unwrap();
    println!("{}", String::from_utf8_lossy(&out.stdout));
    let mut s = Session::spawn(&["--db", db], 80, 24, &[]);
    s.wait_for("Sign in", Duration::from_secs(10)).unwrap();
    println!("{}\n=====", s.screen());
    s.send("charge\tdemo-charge1\r");
    s.wait_for("Dana Reyes", Duration::from_secs(10)).unwrap();
    println!("{}\n=====", s.screen());
    s.send("?");
    s.wait_for("Keys: Census", Duration::from_secs(10)).unwrap();
    println!("{}\n=====", s.screen());
    s.send("x");
    s.send("jjjj");
    s.wait_for("Bed 5 is empty", Duration::from_secs(10)).unwrap();
    s.send("a");
    s.wait_for("Admit to bed 5", Duration::from_secs(10)).unwrap();
    println!("{}\n=====", s.screen());
    s.send("Quinn Harlow\t1980-02-30\tF\tE2E4417\tnow\t\x1b[C\x1b[C\x1b[C\x1b[C\talcohol\tlast night\tNKDA\t\tDr. Test\tF\tc\tq\r");
    let r = s.wait_for("is not a date", Duration::from_secs(5));
    println!("{r:?}");
    println!("{}\n=====", s.screen());
    s.esc();
    std::thread::sleep(Duration::from_millis(300));
    println!("{}\n=====", s.screen());
    s.send("q");
    println!("{:?}", s.wait_exit(Duration::from_secs(10)));
    println!("{}\n===== alt={}", s.screen(), s.parser().screen().alternate_screen());
}
