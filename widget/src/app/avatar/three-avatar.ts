// The entry of the lazily loaded 3D chunk: three.js and the avatar runtime. Only AvatarStage
// imports it, dynamically, and only on devices that passed the capability check; a file of its own
// gives the chunk a recognisable name (three-avatar-<hash>.js) for the budget script.
export { createAvatarView } from '@mascot/avatar-runtime';
