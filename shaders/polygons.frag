// polygons.frag - exact tiles in the current colour mode (colour_modes.glsl, prepended), and their
// edges in the vertex colour (translucent dark).
uniform int u_fill;      // 1: tile fills, 0: edges
in vec4 v_colour;
in vec4 v_f_lo;
in vec4 v_f_hi;
in vec2 v_f_ex;
in float v_gradient;
out vec4 frag_colour;
void main() {
  if (u_fill == 0) {
    frag_colour = v_colour;
    return;
  }
  frag_colour = vec4(mode_colour(v_colour.rgb, v_f_lo, v_f_hi, v_f_ex, v_gradient), 1.0);
}
