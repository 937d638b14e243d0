/* SPDX-License-Identifier: MIT */
/* Shared inside net/core/ only: between the device layer and the network threads. */
#ifndef _NET_CORE_INTERNAL_H
#define _NET_CORE_INTERNAL_H

#include <exo/netdevice.h>

/* Runs the notifier chain (see register_netdevice_notifier). */
void netdev_notify(struct net_device *dev, unsigned long event);
/* Queues a transmit restart of @dev on this CPU's network thread (the queue was woken). */
void netthread_schedule_tx(struct net_device *dev);
/* Resends dev->txq until the driver stops the queue again; in the network thread. */
void dev_tx_restart(struct net_device *dev);
/* A carrier change of @dev: handled later by CPU 0's network thread (linkwatch_run). */
void linkwatch_fire(struct net_device *dev);
void linkwatch_run(struct net_device *dev);
/* Waits until no network thread holds @dev in a restart or carrier queue. */
void netthread_flush_dev(struct net_device *dev);

#endif /* _NET_CORE_INTERNAL_H */
