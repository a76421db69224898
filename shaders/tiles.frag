// tiles.frag - per-pixel activation codes: runs the network at the pixel's input point, builds the
// code hash layer by layer, and draws anti-aliased region edges and the decision boundary from the
// exact distance |h_k(x)| / |grad h_k(x)| carried through the pass (resolution independent).
//
// Prepended at load time: "#version 300 es", precision statements, code_hash.glsl.

#define MAX_WIDTH 64
#define MAX_LAYERS 9

// Weights: R32F texture, one row per neuron (hidden layers then outputs, in order); columns
// 0..fan_in-1 hold the row of W, column MAX_WIDTH holds the bias.
uniform highp sampler2D u_weights;
uniform int u_layers;                 // affine layers, the output layer included
uniform int u_widths[MAX_LAYERS];     // width of each layer
uniform int u_acts[MAX_LAYERS];       // 0 relu, 1 leaky relu, 2 abs, 3 linear
uniform float u_alpha[MAX_LAYERS];    // leaky slope
uniform int u_code_layers;            // hidden layers whose bits enter the hash and draw edges
uniform vec4 u_window;                // x0, x1, y0, y1 of the view in input coordinates
uniform vec2 u_viewport;              // size of the target in pixels
uniform int u_output_mode;            // 0 colour, 1 hash low word as bytes, 2 hash high word
uniform float u_edge_width;           // region edge width in pixels (0: none)
uniform float u_boundary_width;       // decision boundary width in pixels (0: none)

in vec2 v_uv;
out vec4 frag_colour;

vec4 pack_bytes(uint w) {
  return vec4(float(w & 0xffu), float((w >> 8) & 0xffu), float((w >> 16) & 0xffu),
              float(w >> 24)) / 255.0;
}

void main() {
  vec2 world_per_px = vec2(u_window.y - u_window.x, u_window.w - u_window.z) / u_viewport;
  vec2 p = vec2(u_window.x, u_window.z) + gl_FragCoord.xy * world_per_px;
  float px = max(world_per_px.x, world_per_px.y);

  float z[MAX_WIDTH];     // activations of the previous layer
  vec2 gz[MAX_WIDTH];     // their gradients with respect to the input point
  float h[MAX_WIDTH];     // pre-activations of the current layer
  vec2 gh[MAX_WIDTH];
  z[0] = p.x; z[1] = p.y;
  gz[0] = vec2(1.0, 0.0); gz[1] = vec2(0.0, 1.0);

  int n_in = 2;
  int row = 0;
  int neuron = 0;
  uvec2 hash = uvec2(0u);
  float edge_px = 1e9;
  for (int l = 0; l < u_layers; ++l) {
    int n_out = u_widths[l];
    for (int k = 0; k < n_out; ++k) {
      float acc = texelFetch(u_weights, ivec2(MAX_WIDTH, row + k), 0).r;
      vec2 g = vec2(0.0);
      for (int j = 0; j < n_in; ++j) {
        float w = texelFetch(u_weights, ivec2(j, row + k), 0).r;
        acc += w * z[j];
        g += w * gz[j];
      }
      h[k] = acc;
      gh[k] = g;
    }
    row += n_out;
    if (l == u_layers - 1) break;
    int act = u_acts[l];
    bool counted = l < u_code_layers && act != 3;
    for (int k = 0; k < n_out; ++k) {
      bool on = h[k] > 0.0;
      if (counted) {
        if (on) hash ^= neuron_key(neuron + k);
        edge_px = min(edge_px, abs(h[k]) / max(length(gh[k]), 1e-30) / px);
      }
      float s = on ? 1.0 : (act == 0 ? 0.0 : act == 1 ? u_alpha[l] : act == 2 ? -1.0 : 1.0);
      z[k] = s * h[k];
      gz[k] = s * gh[k];
    }
    neuron += n_out;
    n_in = n_out;
  }

  if (u_output_mode == 1) { frag_colour = pack_bytes(hash.x); return; }
  if (u_output_mode == 2) { frag_colour = pack_bytes(hash.y); return; }

  // Decision boundary: f = 0 for one output, the tie of the top two logits otherwise.
  int n_out = u_widths[u_layers - 1];
  float boundary_px;
  if (n_out == 1) {
    boundary_px = abs(h[0]) / max(length(gh[0]), 1e-30) / px;
  } else {
    int a = 0, b = 1;
    if (h[b] > h[a]) { a = 1; b = 0; }
    for (int k = 2; k < n_out; ++k) {
      if (h[k] > h[a]) { b = a; a = k; } else if (h[k] > h[b]) { b = k; }
    }
    boundary_px = (h[a] - h[b]) / max(length(gh[a] - gh[b]), 1e-30) / px;
  }

  vec3 colour = tile_colour(hash);
  float edge = clamp(0.5 * u_edge_width + 0.5 - edge_px, 0.0, 1.0);
  colour = mix(colour, vec3(0.16, 0.17, 0.22), 0.55 * edge);
  float boundary = clamp(0.5 * u_boundary_width + 0.5 - boundary_px, 0.0, 1.0);
  colour = mix(colour, vec3(0.05, 0.05, 0.08), boundary);
  frag_colour = vec4(colour, 1.0);
}
