//! Building the nodes a scenario describes: the images, the server with its campaign, the
//! repository and the device. Every byte comes from the run's seed.

use crate::scenario::ValuesSpec;
use crate::scenario::{ImageSpec, Scenario};
use crate::topology::{DEVICE_ADDR, REPOSITORY_ADDR, REPOSITORY_HOST, SERVER_ADDR};
use fota_bootloader::{ImageBuilder, ImageVersion};
use fota_coap::SimRng;
use fota_device::config::Sample;
use fota_device::{Device, DeviceConfig};
use fota_server::{CampaignConfig, Repository, Server};

/// An image as `spec` describes it, its body drawn from `rng`, damaged after signing when
/// the scenario says so.
pub fn image(spec: &ImageSpec, rng: &mut SimRng) -> Vec<u8> {
    let builder = spec.builder();
    let mut payload = vec![0u8; spec.size.saturating_sub(builder.overhead())];
    rng.fill(&mut payload);
    let mut bytes = builder.body(&payload).build();
    if spec.not_an_image {
        rng.fill(&mut bytes);
    }
    if spec.corrupt {
        // One bit of the body, after signing: the hash no longer matches (FU-D5).
        let at = bytes.len() / 2;
        bytes[at] ^= 0x10;
    }
    bytes
}

pub struct Nodes {
    pub server: Server,
    pub repository: Repository,
    pub device: Device,
}

pub fn nodes(scenario: &Scenario, seed: u64, rng: &mut SimRng) -> Nodes {
    let mut image_rng = rng.fork(5);
    let new_image = image(&scenario.image, &mut image_rng);
    // The running image: about the new one's size, but always well inside a slot.
    let payload_len = scenario
        .image
        .size
        .saturating_sub(scenario.image_builder().overhead());
    let mut factory_payload = vec![0u8; payload_len.min(scenario.device.slot_size / 4)];
    image_rng.fill(&mut factory_payload);
    // Versions were checked when the scenario was loaded; the fallbacks cannot be reached.
    let old_version = ImageVersion::parse(&scenario.device.running_version).unwrap_or_default();
    let new_version = ImageVersion::parse(&scenario.image.version).unwrap_or_default();
    let factory_image = ImageBuilder::new(old_version)
        .security_counter(scenario.device.security_counter)
        .body(&factory_payload)
        .build();

    let package_uri = scenario
        .package_uri
        .clone()
        .unwrap_or_else(|| format!("coap://{REPOSITORY_HOST}{}", scenario.image.path));
    let sv = &scenario.server;
    let campaign = CampaignConfig {
        method: sv.method,
        image: new_image.clone().into(),
        push_block_size: sv.push_block_size,
        push_insists_on_block_size: sv.push_insists_on_block_size,
        push_min_signal_dbm: sv.push_min_signal_dbm,
        push_min_link_quality: sv.push_min_link_quality,
        phase_timeout_s: sv.phase_timeout_s,
        update_timeout_s: sv.update_timeout_s,
        // Both sides keep the awake time the scenario gives.
        queue_awake_ms: scenario.device.queue_awake_ms,
        ..CampaignConfig::pull(&package_uri, &new_version.to_string())
    };
    let server = Server::new(SERVER_ADDR, rng.fork(1), campaign);
    let mut repository = Repository::new(REPOSITORY_ADDR, rng.fork(2));
    repository.publish(&scenario.image.path, new_image);
    let mut extra_rng = rng.fork(7);
    for extra in &scenario.repository {
        repository.publish(&extra.path, image(extra, &mut extra_rng));
    }
    let d = &scenario.device;
    let device = Device::new(
        DeviceConfig {
            server: Some(SERVER_ADDR),
            lifetime_s: d.lifetime_s,
            slot_size: d.slot_size,
            strategy: d.boot_strategy,
            flash_align: d.flash_align,
            flash_erased: d.flash_erased,
            block_size: d.block_size,
            boot_ms: d.boot_ms,
            flash_timing: d.flash_timing,
            queue_mode: d.queue_mode,
            queue_awake_ms: d.queue_awake_ms,
            energy: d.energy,
            battery: d.battery.clone(),
            defer_s: d.defer_s,
            power_cut_at_flash_op: d.power_cut_at_flash_op,
            download_retries: d.download_retries,
            download_buffer: d.download_buffer,
            corrupt_secondary_before_boot: d.corrupt_secondary_before_boot,
            delivery: d.delivery.code(),
            samples: samples(&d.values),
            lwm2m_version: d.lwm2m_version,
            hosts: vec![(REPOSITORY_HOST.into(), REPOSITORY_ADDR)],
            serial: format!("SBX-{seed:08}"),
            ..DeviceConfig::new(DEVICE_ADDR, &d.endpoint, factory_image)
        },
        rng.fork(3),
    );
    Nodes {
        server,
        repository,
        device,
    }
}

/// The scenario's value samples as the device takes them: each carries forward what the one
/// before it said, so a sample need only name what changes.
fn samples(values: &[ValuesSpec]) -> Vec<Sample> {
    let mut now = Sample::default();
    values
        .iter()
        .map(|v| {
            now = Sample {
                at_ms: v.at_ms,
                signal_dbm: v.signal_dbm.unwrap_or(now.signal_dbm),
                link_quality: v.link_quality.unwrap_or(now.link_quality),
                link_utilization: v.link_utilization.unwrap_or(now.link_utilization),
                battery_level: v.battery_level.unwrap_or(now.battery_level),
                memory_free_kib: v.memory_free_kib.or(now.memory_free_kib),
            };
            now
        })
        .collect()
}

/// The scenario's image built again with another body: same version, other bytes, so
/// another ETag.
pub fn rebuilt_image(scenario: &Scenario, seed: u64) -> Vec<u8> {
    image(&scenario.image, &mut SimRng::new(seed).fork(6))
}
