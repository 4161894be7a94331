#[cfg(target_arch = "wasm32")]
fn main() {
    fota_web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fota-web runs in the browser: build it with trunk (see README.md)");
}
