/**
 * The request pieces resource supply contracts share: an object's address head, the heating system
 * of a pair, the planned volume — in importSupplyResourceContractData (objects inside the
 * contract) and importSupplyResourceContractObjectAddressData (objects on their own).
 */
import { Kid, decimal, el, leaf, opt } from "../../../transport/envelope/xml";

export interface PlannedVolumeInput {
  volume: number;
  /** OKEI code (NSI 236). */
  unit: string;
  feedingMode: string;
}

export interface HeatingSystemInput {
  open: boolean;
  centralized: boolean;
}

export const plannedVolume = (name: string, v: PlannedVolumeInput, pairKey?: string) =>
  el(
    name,
    null,
    pairKey ? leaf("hm:PairKey", pairKey) : null,
    leaf("hm:Volume", decimal(v.volume)),
    leaf("hm:Unit", v.unit),
    leaf("hm:FeedingMode", v.feedingMode),
  );

export const heating = (h: HeatingSystemInput | undefined) =>
  h
    ? el(
        "hm:HeatingSystemType",
        null,
        leaf("hm:OpenOrNot", h.open ? "Opened" : "Closed"),
        leaf("hm:CentralizedOrNot", h.centralized ? "Centralized" : "Decentralized"),
      )
    : null;

export function objectAddressHead(o: { houseType?: string; fiasHouseGuid: string; apartmentNumber?: string; roomNumber?: string }): Kid[] {
  return [
    opt("hm:HouseType", o.houseType),
    leaf("hm:FIASHouseGuid", o.fiasHouseGuid),
    opt("hm:ApartmentNumber", o.apartmentNumber),
    opt("hm:RoomNumber", o.roomNumber),
  ];
}
