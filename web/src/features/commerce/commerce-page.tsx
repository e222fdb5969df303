import { IconDisc, IconLifebuoy, IconPackages, IconReceipt, IconRefresh, IconTruckDelivery } from '@tabler/icons-react';
import { ModuleLanding, type ModuleCapability } from '../modules/module-landing';

const CAPABILITIES: ModuleCapability[] = [
  {
    icon: IconDisc,
    title: 'Catalog',
    description: 'Releases, pressings and formats — vinyl, CD, cassette — with artists, labels, genres, prices and condition grades for second-hand stock.',
  },
  {
    icon: IconReceipt,
    title: 'Orders',
    description: 'Web and counter orders in one list: payment, picking, shipping and returns, with the customer’s history beside every order.',
  },
  {
    icon: IconPackages,
    title: 'Inventory',
    description: 'Stock on hand per location, reservations, and the sell-through rate of every title so dead stock is easy to find.',
  },
  {
    icon: IconTruckDelivery,
    title: 'Suppliers',
    description: 'Distributors and labels with lead times, minimum order quantities and the purchase orders you have open with each of them.',
  },
  {
    icon: IconRefresh,
    title: 'Reorder queue',
    description:
      'Titles that are about to run out are queued for reordering with a suggested quantity, grouped by supplier so one click drafts the purchase order.',
  },
  {
    icon: IconLifebuoy,
    title: 'Service cases and recommendations',
    description:
      'Customer service cases — damaged sleeves, late parcels, special orders — plus AI recommendations of what each customer is likely to buy next.',
  },
];

export function CommercePage() {
  return (
    <ModuleLanding
      moduleKey="commerce"
      summary="The back office of a record shop. Commerce manages the catalog, takes orders, keeps inventory honest across locations, works with suppliers and tells you what to reorder before the shelf is empty."
      audience={['Shop owners', 'Buyers', 'Customer service']}
      capabilities={CAPABILITIES}
      dataSources="Commerce fills up once your catalog, orders and stock levels are imported."
    />
  );
}
