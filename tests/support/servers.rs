//! Real nats-server and PostgreSQL instances for the group tests and benchmark:
//! on loopback ports picked free at run time, in temporary directories, stopped
//! when dropped (even when a test fails). Where a binary is missing, `find`
//! says the test is skipped and why; with CI=true a skip is a failure.
#![allow(dead_code)]

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Finds a server binary; `None` (after saying so) when it is not installed.
pub fn find(name: &str, install: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.extend(["/usr/sbin", "/usr/bin"].map(PathBuf::from));
    // Debian keeps the PostgreSQL server binaries off PATH, by major version.
    if let Ok(rd) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut v: Vec<PathBuf> = rd.flatten().map(|e| e.path().join("bin")).collect();
        v.sort();
        dirs.splice(0..0, v.into_iter().rev());
    }
    if let Some(p) = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()) {
        return Some(p);
    }
    let msg = format!("skipped: {name} not installed ({install})");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}; in CI this is a failure: .ci/run installs it");
    }
    // Straight to stderr, past the test harness's capture: `cargo test` shows it.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{msg}");
    None
}

/// Both servers, or `None` when the test must skip.
pub fn available() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let nats = find("nats-server", "apt-get install nats-server");
    let initdb = find("initdb", "apt-get install postgresql");
    let postgres = find("postgres", "apt-get install postgresql");
    Some((nats?, initdb?, postgres?))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn wait_port(port: u16, what: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before it listened: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not listen on port {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A child process killed and reaped when dropped.
pub struct Proc {
    pub child: Option<Child>,
}

impl Proc {
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SIGTERM first: PostgreSQL and nats-server shut down cleanly on it.
            unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One nats-server with JetStream: the hub, or a site's leaf node.
pub struct Nats {
    pub bin: PathBuf,
    pub port: u16,
    /// The hub's leaf-node port (0 for a leaf).
    pub leaf_port: u16,
    pub conf: PathBuf,
    pub proc: Proc,
    pub name: String,
}

impl Nats {
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    pub fn hub(bin: &Path, dir: &Path) -> Nats {
        let (port, leaf_port) = (free_port(), free_port());
        let conf = dir.join("hub.conf");
        let store = dir.join("hub-js");
        std::fs::write(
            &conf,
            format!(
                "listen: 127.0.0.1:{port}\nserver_name: hub\n\
                 jetstream {{ store_dir: \"{}\", domain: hub }}\n\
                 leafnodes {{ listen: 127.0.0.1:{leaf_port} }}\n",
                store.display()
            ),
        )
        .expect("write hub.conf");
        Nats::run(bin, "hub", port, leaf_port, conf)
    }

    /// A site's own server: JetStream in the site's domain, a leaf of the hub.
    pub fn leaf(bin: &Path, dir: &Path, site: &str, hub_leaf_port: u16) -> Nats {
        let port = free_port();
        let conf = dir.join(format!("{site}.conf"));
        let store = dir.join(format!("{site}-js"));
        std::fs::write(
            &conf,
            format!(
                "listen: 127.0.0.1:{port}\nserver_name: {site}\n\
                 jetstream {{ store_dir: \"{}\", domain: {site} }}\n\
                 leafnodes {{ reconnect: 1, remotes: [ {{ url: \"nats-leaf://127.0.0.1:{hub_leaf_port}\" }} ] }}\n",
                store.display()
            ),
        )
        .expect("write the leaf's conf");
        Nats::run(bin, site, port, 0, conf)
    }

    fn run(bin: &Path, name: &str, port: u16, leaf_port: u16, conf: PathBuf) -> Nats {
        let mut n = Nats {
            bin: bin.to_path_buf(),
            port,
            leaf_port,
            conf,
            proc: Proc { child: None },
            name: name.into(),
        };
        n.start();
        n
    }

    /// Starts it again on the same ports and store (after `stop`).
    pub fn start(&mut self) {
        let mut child = Command::new(&self.bin)
            .arg("-c")
            .arg(&self.conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nats-server");
        wait_port(self.port, &format!("nats-server {}", self.name), &mut child);
        self.proc.child = Some(child);
    }

    pub fn stop(&mut self) {
        self.proc.stop();
    }
}

/// One PostgreSQL cluster. PostgreSQL refuses to run as root: as root the
/// cluster belongs to `nobody`, in a directory this chowns to it.
pub struct Pg {
    pub port: u16,
    pub dir: PathBuf,
    pub proc: Proc,
}

impl Pg {
    pub fn url(&self) -> String {
        format!("postgres://dutydesk@127.0.0.1:{}/postgres", self.port)
    }

    pub fn start(initdb: &Path, postgres: &Path, parent: &Path) -> Pg {
        let dir = parent.join("pg");
        std::fs::create_dir_all(&dir).expect("pg dir");
        let root = unsafe { libc::geteuid() } == 0;
        let as_user = |c: &mut Command| {
            if root {
                c.uid(65534).gid(65534);
            }
        };
        if root {
            for d in [parent, dir.as_path()] {
                let c = std::ffi::CString::new(d.as_os_str().as_encoded_bytes()).expect("path");
                unsafe { libc::chown(c.as_ptr(), 65534, 65534) };
            }
        }
        let mut init = Command::new(initdb);
        init.args([
            "-U",
            "dutydesk",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "-D",
        ])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        as_user(&mut init);
        let out = init.output().expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let mut cmd = Command::new(postgres);
        cmd.arg("-D")
            .arg(&dir)
            .args([
                "-p",
                &port.to_string(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-k",
            ])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        as_user(&mut cmd);
        let mut child = cmd.spawn().expect("start postgres");
        wait_port(port, "postgres", &mut child);
        // Listening comes a moment before accepting logins.
        let deadline = Instant::now() + Duration::from_secs(30);
        let url = format!("postgres://dutydesk@127.0.0.1:{port}/postgres");
        while postgres::Client::connect(&url, postgres::NoTls).is_err() {
            assert!(Instant::now() < deadline, "postgres does not accept logins");
            std::thread::sleep(Duration::from_millis(50));
        }
        Pg {
            port,
            dir,
            proc: Proc { child: Some(child) },
        }
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(), postgres::NoTls)
            .expect("connect to the test postgres")
    }
}

/// `dutydesk group ingest` as its own process, its stderr kept in a file.
pub fn ingest(bin: &str, hub: &Nats, pg: &Pg, sites: &[&str], log: &Path) -> Proc {
    let file = std::fs::File::create(log).expect("ingest log");
    let mut cmd = Command::new(bin);
    cmd.args(["group", "ingest", "--nats", &hub.url(), "--pg", &pg.url()]);
    for s in sites {
        cmd.args(["--site", s]);
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(file)
        .spawn()
        .expect("start dutydesk group ingest");
    Proc { child: Some(child) }
}

pub fn read_to_string(p: &Path) -> String {
    let mut s = String::new();
    if let Ok(mut f) = std::fs::File::open(p) {
        let _ = f.read_to_string(&mut s);
    }
    s
}
