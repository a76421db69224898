// points.frag - a filled, outlined disc per training point, a ring per test point, and a filled,
// outlined diamond per point placed by hand.
uniform float u_radius;
uniform int u_regression;
in vec2 v_offset;
flat in vec4 v_point;
out vec4 frag_colour;

// kClassColours of web/views/class_colours.h: Okabe-Ito's eight (distinguishable with the common
// colour-vision deficiencies), then Tol's wine and pink (a native test checks the copies agree).
const vec3 kClassColours[10] = vec3[10](
  vec3(0.000, 0.447, 0.698), vec3(0.902, 0.624, 0.000), vec3(0.000, 0.620, 0.451),
  vec3(0.800, 0.475, 0.655), vec3(0.337, 0.706, 0.914), vec3(0.835, 0.369, 0.000),
  vec3(0.941, 0.894, 0.259), vec3(0.100, 0.100, 0.100), vec3(0.533, 0.133, 0.333),
  vec3(1.000, 0.667, 0.733));

void main() {
  bool placed = v_point.w > 1.5;
  // Distance-like: the disc's radius, or for the diamond |x| + |y| scaled so its vertices lie at
  // 1.33 radii (about the disc's area).
  float r = placed ? 0.75 * (abs(v_offset.x) + abs(v_offset.y)) : length(v_offset);
  float edge = clamp(u_radius + 0.5 - r, 0.0, 1.0);          // inside the disc
  if (edge <= 0.0) discard;
  vec3 fill;
  if (u_regression == 1) {
    float t = clamp(0.5 + 0.5 * v_point.z, 0.0, 1.0);        // targets roughly in [-1, 1]
    fill = mix(kClassColours[0], kClassColours[1], t);
  } else {
    fill = kClassColours[clamp(int(v_point.z), 0, 9)]; // class_colour_index()
  }
  bool test = v_point.w > 0.5 && !placed;
  // The outer 1.5 px (less for the small points of a large dataset, so they keep their fill).
  float ring = clamp(r - (u_radius - min(1.6, 0.4 * u_radius)), 0.0, 1.0);
  vec3 outline = test ? fill : vec3(0.08);
  // A ring too small to read (the small points of a large dataset): a pale disc of the class.
  vec3 inside = test ? (u_radius < 2.5 ? mix(fill, vec3(1.0), 0.5) : vec3(1.0)) : fill;
  frag_colour = vec4(mix(inside, outline, ring), edge);
}
