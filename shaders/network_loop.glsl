// network_loop.glsl - evaluates the network for one input point with loops over a weights texture.
// General (any size within the engine limits) but slow in software renderers, which handle the
// dynamically indexed local arrays poorly; the renderer prefers a generated, unrolled evaluation
// (see web/shader_gen.cpp) whenever the weights fit a uniform block.

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

// hash: code hash of the counted layers; edge_px: distance in pixels to the nearest zero set of a
// counted neuron; edge_layer: that neuron's hidden layer (0-based); boundary_px: distance in
// pixels to the decision boundary; f_lo, f_hi, f_ex: outputs 0-3, 4-7 and 8-9 (0 beyond the last);
// f_grad: gradient of output u_output_index (colour_modes.glsl).
void evaluate_network(vec2 p, float px, out uvec2 hash, out float edge_px, out int edge_layer,
                      out float boundary_px, out vec4 f_lo, out vec4 f_hi, out vec2 f_ex,
                      out vec2 f_grad) {
  float z[MAX_WIDTH];     // activations of the previous layer
  vec2 gz[MAX_WIDTH];     // their gradients with respect to the input point
  float h[MAX_WIDTH];     // pre-activations of the current layer
  vec2 gh[MAX_WIDTH];
  z[0] = p.x; z[1] = p.y;
  gz[0] = vec2(1.0, 0.0); gz[1] = vec2(0.0, 1.0);

  int n_in = 2;
  int row = 0;
  int neuron = 0;
  hash = uvec2(0u);
  g_family = vec3(0.0);
  g_family_layers = 0;
  edge_px = 1e9;
  edge_layer = 0;
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
    uvec2 lh = uvec2(0u); // this layer's own bits
    for (int k = 0; k < n_out; ++k) {
      bool on = h[k] > 0.0;
      if (counted) {
        if (on) lh ^= neuron_key(neuron + k);
        float d = abs(h[k]) / max(length(gh[k]), 1e-30) / px;
        if (d < edge_px) { edge_px = d; edge_layer = l; }
      }
      float s = on ? 1.0 : (act == 0 ? 0.0 : act == 1 ? u_alpha[l] : act == 2 ? -1.0 : 1.0);
      z[k] = s * h[k];
      gz[k] = s * gh[k];
    }
    if (l < u_code_layers) {
      hash ^= lh;
      refine_family(lh);
    }
    neuron += n_out;
    n_in = n_out;
  }

  // Decision boundary: f = 0 for one output, the tie of the top two logits otherwise.
  int n_out = u_widths[u_layers - 1];
  f_lo = vec4(0.0);
  f_hi = vec4(0.0);
  f_ex = vec2(0.0);
  for (int k = 0; k < 10; ++k) {
    if (k >= n_out) break;
    if (k < 4) f_lo[k] = h[k]; else if (k < 8) f_hi[k - 4] = h[k]; else f_ex[k - 8] = h[k];
  }
  f_grad = gh[clamp(u_output_index, 0, n_out - 1)];
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
}
