#!/bin/sh
# scripts/mkdisk.sh OUT USERLAND DOCS: the ext4 image make run attaches as
# /dev/vda (mke2fs -t ext4 -d): the userland tree (a bootable root for
# make run ROOT=disk) with the docs in /usr/share/doc/exo.
set -e
out=$1
tree=$(dirname "$out")/disk-tree
rm -rf "$tree"
mkdir -p "$tree"
cp -a "$2"/. "$tree"/
mkdir -p "$tree/usr/share/doc/exo" "$tree/dev" "$tree/proc" "$tree/sys" "$tree/tmp" "$tree/mnt"
cp -a "$3"/. "$tree/usr/share/doc/exo/"
rm -f "$out"
PATH=$PATH:/sbin:/usr/sbin mke2fs -q -F -t ext4 -L exodisk -d "$tree" "$out" 64M
