// The world's countries, bundled at build time (no network at run time).

import type { FeatureCollection, MultiLineString } from "geojson";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countries110m from "world-atlas/countries-110m.json";

const topology = countries110m as unknown as Topology<{ countries: GeometryCollection }>;

export const countries: FeatureCollection = feature(topology, topology.objects.countries);

/** Internal borders only (coastlines come from the country fills). */
export const borders: MultiLineString = mesh(topology, topology.objects.countries, (a, b) => a !== b);
