//! A catalogue of cloud regions with coordinates, so a console can be placed on the map by picking
//! the region it runs in. Offline by design: the map must work without network access.

use serde::Serialize;
use ts_rs::TS;

/// One cloud region an administrator can place a console in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// Stable id, the provider's own region code (`us-east-1`, `ca-tor`, `eastus`…).
    pub id: String,
    pub provider: String,
    /// The provider's display name for the region.
    pub name: String,
    pub city: String,
    pub latitude: f64,
    pub longitude: f64,
}

// (id, provider, name, city, latitude, longitude)
const CATALOGUE: &[(&str, &str, &str, &str, f64, f64)] = &[
    (
        "us-east-1",
        "AWS",
        "US East (N. Virginia)",
        "Ashburn",
        39.04,
        -77.49,
    ),
    (
        "us-east-2",
        "AWS",
        "US East (Ohio)",
        "Columbus",
        39.96,
        -83.00,
    ),
    (
        "us-west-1",
        "AWS",
        "US West (N. California)",
        "San Francisco",
        37.77,
        -122.42,
    ),
    (
        "us-west-2",
        "AWS",
        "US West (Oregon)",
        "Boardman",
        45.84,
        -119.70,
    ),
    (
        "ca-central-1",
        "AWS",
        "Canada (Central)",
        "Montréal",
        45.50,
        -73.57,
    ),
    (
        "sa-east-1",
        "AWS",
        "South America (São Paulo)",
        "São Paulo",
        -23.55,
        -46.63,
    ),
    (
        "eu-west-1",
        "AWS",
        "Europe (Ireland)",
        "Dublin",
        53.35,
        -6.26,
    ),
    (
        "eu-west-2",
        "AWS",
        "Europe (London)",
        "London",
        51.51,
        -0.13,
    ),
    (
        "eu-central-1",
        "AWS",
        "Europe (Frankfurt)",
        "Frankfurt",
        50.11,
        8.68,
    ),
    (
        "eu-north-1",
        "AWS",
        "Europe (Stockholm)",
        "Stockholm",
        59.33,
        18.07,
    ),
    (
        "ap-northeast-1",
        "AWS",
        "Asia Pacific (Tokyo)",
        "Tokyo",
        35.68,
        139.69,
    ),
    (
        "ap-southeast-1",
        "AWS",
        "Asia Pacific (Singapore)",
        "Singapore",
        1.35,
        103.82,
    ),
    (
        "ap-southeast-2",
        "AWS",
        "Asia Pacific (Sydney)",
        "Sydney",
        -33.87,
        151.21,
    ),
    (
        "ap-south-1",
        "AWS",
        "Asia Pacific (Mumbai)",
        "Mumbai",
        19.08,
        72.88,
    ),
    ("us-south", "IBM Cloud", "Dallas", "Dallas", 32.78, -96.80),
    (
        "us-east",
        "IBM Cloud",
        "Washington DC",
        "Washington",
        38.91,
        -77.04,
    ),
    ("ca-tor", "IBM Cloud", "Toronto", "Toronto", 43.65, -79.38),
    (
        "br-sao",
        "IBM Cloud",
        "São Paulo",
        "São Paulo",
        -23.55,
        -46.63,
    ),
    ("eu-gb", "IBM Cloud", "London", "London", 51.51, -0.13),
    ("eu-de", "IBM Cloud", "Frankfurt", "Frankfurt", 50.11, 8.68),
    ("eu-es", "IBM Cloud", "Madrid", "Madrid", 40.42, -3.70),
    ("jp-tok", "IBM Cloud", "Tokyo", "Tokyo", 35.68, 139.69),
    ("jp-osa", "IBM Cloud", "Osaka", "Osaka", 34.69, 135.50),
    ("au-syd", "IBM Cloud", "Sydney", "Sydney", -33.87, 151.21),
    ("eastus", "Azure", "East US", "Virginia", 37.37, -79.82),
    (
        "westus2",
        "Azure",
        "West US 2",
        "Washington",
        47.23,
        -119.85,
    ),
    (
        "canadacentral",
        "Azure",
        "Canada Central",
        "Toronto",
        43.65,
        -79.38,
    ),
    (
        "westeurope",
        "Azure",
        "West Europe",
        "Amsterdam",
        52.37,
        4.90,
    ),
    (
        "northeurope",
        "Azure",
        "North Europe",
        "Dublin",
        53.35,
        -6.26,
    ),
    (
        "southeastasia",
        "Azure",
        "Southeast Asia",
        "Singapore",
        1.35,
        103.82,
    ),
    (
        "us-central1",
        "Google Cloud",
        "Iowa",
        "Council Bluffs",
        41.26,
        -95.86,
    ),
    (
        "us-east4",
        "Google Cloud",
        "Northern Virginia",
        "Ashburn",
        39.04,
        -77.49,
    ),
    (
        "northamerica-northeast1",
        "Google Cloud",
        "Montréal",
        "Montréal",
        45.50,
        -73.57,
    ),
    (
        "europe-west1",
        "Google Cloud",
        "Belgium",
        "St. Ghislain",
        50.45,
        3.82,
    ),
    (
        "asia-northeast1",
        "Google Cloud",
        "Tokyo",
        "Tokyo",
        35.68,
        139.69,
    ),
    ("on-premises", "Other", "On premises", "—", 0.0, 0.0),
];

/// Every known location, in catalogue order (grouped by provider).
pub fn catalogue() -> Vec<Location> {
    CATALOGUE.iter().map(to_location).collect()
}

/// The location with this id, if the catalogue knows it.
pub fn location(id: &str) -> Option<Location> {
    CATALOGUE
        .iter()
        .find(|entry| entry.0 == id)
        .map(to_location)
}

fn to_location(entry: &(&str, &str, &str, &str, f64, f64)) -> Location {
    let (id, provider, name, city, latitude, longitude) = *entry;
    Location {
        id: id.into(),
        provider: provider.into(),
        name: name.into(),
        city: city.into(),
        latitude,
        longitude,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_coordinates_on_the_globe() {
        let all = catalogue();
        let ids: HashSet<_> = all.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "duplicate location id");
        for l in &all {
            assert!((-90.0..=90.0).contains(&l.latitude), "{}", l.id);
            assert!((-180.0..=180.0).contains(&l.longitude), "{}", l.id);
        }
    }

    #[test]
    fn the_sandbox_regions_are_known() {
        for id in ["us-east-1", "us-west-2", "ca-central-1"] {
            assert!(location(id).is_some(), "{id} missing");
        }
        assert_eq!(location("us-west-2").unwrap().city, "Boardman");
        assert!(location("atlantis-1").is_none());
    }
}
