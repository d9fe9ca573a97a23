//! How far apart the regions holding one ordering service's consenters are, and the round trip
//! that implies. Raft needs every heartbeat and every block's replication to cross between
//! consenters, so the guide advises close regions ("US East + US West + Canada beats US West +
//! Tokyo").

use serde::Serialize;
use ts_rs::TS;

use crate::geo::Location;

/// Mean Earth radius, km.
const EARTH_RADIUS_KM: f64 = 6371.0;
/// Light in fibre: c / 1.468 (the core's refractive index), in km per millisecond.
pub const FIBRE_KM_PER_MS: f64 = 204.0;
/// Fibre routes run longer than the great circle: a stated factor, not a measurement.
pub const ROUTE_FACTOR: f64 = 1.5;
/// Above this implied round trip, consenters are flagged as too far apart: it is what the
/// guide's "US West + Tokyo" costs (about 120 ms), and what its three close regions do not
/// (about 55 ms).
pub const MAX_CONSENTER_RTT_MS: u32 = 100;

/// Two regions holding consenters of one ordering service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionDistance {
    pub a: String,
    pub b: String,
    /// Great-circle distance, km.
    pub km: u32,
    /// The round trip the distance implies through fibre ([`ROUTE_FACTOR`]).
    pub rtt_ms: u32,
    /// Beyond [`MAX_CONSENTER_RTT_MS`]: the guide's advice of close regions is broken.
    pub too_far: bool,
}

/// The great-circle distance between two places, km (haversine).
pub fn great_circle_km(a: &Location, b: &Location) -> f64 {
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.longitude - a.longitude).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// The distance between regions `a` and `b` at these places, and its implied round trip.
pub fn between(a: (&str, &Location), b: (&str, &Location)) -> RegionDistance {
    let km = great_circle_km(a.1, b.1);
    let rtt_ms = (2.0 * km * ROUTE_FACTOR / FIBRE_KM_PER_MS).round() as u32;
    RegionDistance {
        a: a.0.to_owned(),
        b: b.0.to_owned(),
        km: km.round() as u32,
        rtt_ms,
        too_far: rtt_ms > MAX_CONSENTER_RTT_MS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::location;

    fn rtt(a: &str, b: &str) -> RegionDistance {
        between((a, &location(a).unwrap()), (b, &location(b).unwrap()))
    }

    #[test]
    fn the_guides_close_regions_pass_and_its_far_pair_is_flagged() {
        let east_west = rtt("us-east-1", "us-west-2");
        assert!((3200..3800).contains(&east_west.km), "{east_west:?}");
        assert!(!east_west.too_far, "{east_west:?}");
        assert!(!rtt("us-east-1", "ca-central-1").too_far);
        let west_tokyo = rtt("us-west-1", "ap-northeast-1");
        assert!((8000..8500).contains(&west_tokyo.km), "{west_tokyo:?}");
        assert!(west_tokyo.too_far, "{west_tokyo:?}");
        assert_eq!(rtt("eu-west-1", "eu-west-1").km, 0);
    }
}
