#version 300 es
// lines3d.vert - lines of any width in the 3-D view (WebGL draws GL_LINES 1 pixel wide): every
// segment is a quad of two triangles, widened in screen space, pulled slightly toward the camera
// so a line lying on the surface wins the depth test against it.
layout(location = 0) in vec3 a_position; // this end of the segment, scene coordinates
layout(location = 1) in vec3 a_other;    // the other end
layout(location = 2) in float a_side;    // -1 or +1: which side of the segment
uniform mat4 u_view_projection;
uniform vec2 u_viewport;                 // pixels
uniform float u_width;                   // pixels
void main() {
  vec4 p = u_view_projection * vec4(a_position, 1.0);
  vec4 q = u_view_projection * vec4(a_other, 1.0);
  vec2 d = (q.xy / q.w - p.xy / p.w) * u_viewport;
  vec2 dir = length(d) > 1e-6 ? normalize(d) : vec2(1.0, 0.0);
  p.xy += vec2(-dir.y, dir.x) * a_side * u_width / u_viewport * p.w;
  p.z -= 0.002 * p.w;
  gl_Position = p;
}
