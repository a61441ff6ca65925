fn main() {
    std::process::exit(dutydesk::cli::main());
}
