// tiles.frag - per-pixel activation codes: runs the network at the pixel's input point (through
// evaluate_network, from network_loop.glsl or the generated unrolled version), colours the tile by
// its code hash, and draws anti-aliased region edges and the decision boundary from the exact
// distance |h_k(x)| / |grad h_k(x)| carried through the pass (resolution independent), in one dark
// colour or in the colour of the layer of the nearest neuron's zero set.
//
// Prepended at load time: "#version 300 es", precision statements, code_hash.glsl,
// colour_modes.glsl, and one definition of evaluate_network; "#define COLOUR_MODES 1" for the
// programs of the colour modes other than the code hash.

uniform vec4 u_window;                // x0, x1, y0, y1 of the view in input coordinates
uniform vec2 u_viewport;              // size of the target in pixels
uniform int u_output_mode;            // 0 colour, 1 hash low word as bytes, 2 hash high word
uniform float u_edge_width;           // region edge width in pixels (0: none)
uniform int u_edge_by_layer;          // 1: edges in the colour of the nearest zero set's layer
uniform float u_boundary_width;       // decision boundary width in pixels (0: none)
uniform int u_refined;                // 1: colouring by fewer layers than the network has: each
                                      // layer's tiles in their parent's family (code_hash.h)

in vec2 v_uv;
out vec4 frag_colour;

// layer_colour() of engine/code_hash.h: Okabe-Ito, in the same order.
const vec3 kLayerColours[8] = vec3[8](
    vec3(0.0, 0.447, 0.698), vec3(0.835, 0.369, 0.0), vec3(0.0, 0.620, 0.451),
    vec3(0.8, 0.475, 0.655), vec3(0.902, 0.624, 0.0), vec3(0.337, 0.706, 0.914),
    vec3(0.0, 0.0, 0.0), vec3(0.941, 0.894, 0.259));

vec4 pack_bytes(uint w) {
  return vec4(float(w & 0xffu), float((w >> 8) & 0xffu), float((w >> 16) & 0xffu),
              float(w >> 24)) / 255.0;
}

void main() {
  vec2 world_per_px = vec2(u_window.y - u_window.x, u_window.w - u_window.z) / u_viewport;
  vec2 p = vec2(u_window.x, u_window.z) + gl_FragCoord.xy * world_per_px;
  float px = max(world_per_px.x, world_per_px.y);

  uvec2 hash;
  float edge_px, boundary_px;
  int edge_layer;
  vec4 f_lo, f_hi;
  vec2 f_ex;
  vec2 f_grad;
  evaluate_network(p, px, hash, edge_px, edge_layer, boundary_px, f_lo, f_hi, f_ex, f_grad);

  if (u_output_mode == 1) { frag_colour = pack_bytes(hash.x); return; }
  if (u_output_mode == 2) { frag_colour = pack_bytes(hash.y); return; }

  vec3 colour = u_refined == 1 ? hsv_colour(g_family) : tile_colour(hash);
#ifdef COLOUR_MODES // only in the programs for the other colour modes (see renderer.h)
  colour = mode_colour(colour, f_lo, f_hi, f_ex, length(f_grad));
#else
  colour = mix(colour, vec3(1.0), u_wash); // the light theme (mode_colour does it for the others)
#endif
  float edge = u_edge_width > 0.0 ? clamp(0.5 * u_edge_width + 0.5 - edge_px, 0.0, 1.0) : 0.0;
  // By layer: the layer of the nearest zero set, which is the layer whose bits differ across
  // the edge (as kMonoEdgeAlpha and kLayerEdgeAlpha in web/colouring.h).
  if (u_edge_by_layer == 1)
    colour = mix(colour, kLayerColours[edge_layer % 8], 0.9 * edge);
  else
    colour = mix(colour, vec3(0.16, 0.17, 0.22), 0.55 * edge);
  float boundary = u_boundary_width > 0.0
                       ? clamp(0.5 * u_boundary_width + 0.5 - boundary_px, 0.0, 1.0) : 0.0;
  colour = mix(colour, vec3(0.05, 0.05, 0.08), boundary);
  frag_colour = vec4(colour, 1.0);
}
