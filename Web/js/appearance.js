// Avatar colours: `appearance` (0–255 on the wire) picks one of these, so everyone sees
// the same colour for the same avatar.

export const PALETTE = [
  { fill: "#3b6fd8", name: "파랑 · Blue" },
  { fill: "#e0633f", name: "주황 · Orange" },
  { fill: "#2f9e6b", name: "초록 · Green" },
  { fill: "#9b59c9", name: "보라 · Purple" },
  { fill: "#d94f86", name: "분홍 · Pink" },
  { fill: "#c99a12", name: "노랑 · Yellow" },
  { fill: "#1f9fb4", name: "청록 · Teal" },
  { fill: "#6b7280", name: "회색 · Grey" },
];

export function colourOf(appearance) {
  return PALETTE[(appearance ?? 0) % PALETTE.length].fill;
}
